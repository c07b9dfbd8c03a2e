// A create that AWS carried out but whose run was killed before state recorded it: a later process (a new
// `pulumi up`) must recognise that secret as this resource's and take it into state — one secret in AWS, that one
// in state — while a secret it did not create is still "already exists". The killed run is reproduced by sending
// exactly what its create sent (createParameters with the derived token) and nothing else.

import { strict as assert } from "assert";
import {
    CreateSecretCommand,
    DescribeSecretCommand,
    GetSecretValueCommand,
    ListSecretsCommand,
    SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { nameStatus } from "../../provider/aws/secrets";
import { checkSecret } from "../../provider/lifecycle/check";
import { randomUUID } from "crypto";
import { createParameters, createSecret } from "../../provider/lifecycle/create";
import { deleteSecret } from "../../provider/lifecycle/delete";
import { readSecret } from "../../provider/lifecycle/read";
import { autonameCandidate, OWNER_TAG } from "../../provider/core/ownership";
import { SecretInputs } from "../../provider/core/types";
import { inputs, observer, testContext } from "../support/aws-fixtures";
import { aws } from "../support/harness";

const OWNER = "organization/proj/dev::db";

/** What a killed run's create sent (its own random request token); AWS acted, the answer never reached state. */
async function killedCreate(i: SecretInputs): Promise<string> {
    return (await observer().send(new CreateSecretCommand(createParameters(i, randomUUID())))).ARN!;
}

async function secretsNamed(prefix: string): Promise<string[]> {
    const list = await observer().send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
    return (list.SecretList ?? [])
        .map((s) => s.Name!)
        .filter((n) => n.startsWith(prefix))
        .sort();
}

const lookup = (name: string, token: string, region: string) => nameStatus(testContext().client(region), name, token);

describe("a create interrupted after AWS acted", () => {
    it("is taken into state by the next run's create (named secret), with no second version for an unchanged value", async () => {
        const i = inputs("killed/named", { owner: OWNER, tags: { team: "payments" } });
        const arn = await killedCreate(i);
        aws().layer.reset();
        const ctx = testContext();
        const { id, outs } = await createSecret(i, ctx);
        assert.equal(id, arn);
        assert.deepEqual(await secretsNamed("killed/"), ["killed/named"]);
        assert.match(ctx.lines.join("\n"), /killed\/named: taken into state \(an interrupted earlier create of this resource made it\)/);
        assert.equal(aws().layer.count("UpdateSecret") + aws().layer.count("PutSecretValue"), 0, "the unchanged value got a new version");
        assert.deepEqual(outs.tags, { team: "payments" }, "the provider's own tag is not shown as a user tag");
    });

    it("brings the secret to what the program declares now when it changed between the runs", async () => {
        const arn = await killedCreate(inputs("killed/changed", { owner: OWNER }));
        const { id } = await createSecret(
            inputs("killed/changed", { owner: OWNER, secretString: "new value", description: "edited" }),
            testContext(),
        );
        assert.equal(id, arn);
        assert.equal((await observer().send(new GetSecretValueCommand({ SecretId: id }))).SecretString, "new value");
        assert.equal((await observer().send(new DescribeSecretCommand({ SecretId: id }))).Description, "edited");
    });

    it("with generateSecretString, keeps the value the interrupted create stored, says so, and puts none", async () => {
        const i = inputs("killed/generated", { owner: OWNER, secretString: "stored-by-the-killed-run" });
        const arn = await killedCreate(i);
        aws().layer.reset();
        const ctx = testContext();
        const { secretString: _, ...generated } = i;
        const { id } = await createSecret({ ...generated, generateSecretString: { passwordLength: 20 } }, ctx);
        assert.equal(id, arn);
        assert.equal((await observer().send(new GetSecretValueCommand({ SecretId: id }))).SecretString, "stored-by-the-killed-run");
        assert.equal(aws().layer.count("PutSecretValue"), 0);
        assert.match(
            ctx.lines.join("\n"),
            /killed\/generated: the value the interrupted create stored is kept, not generated again — set or change generation/,
        );
    });

    it("recognises a secret created without a value by its tag", async () => {
        const i: SecretInputs = { name: "killed/novalue", region: "us-east-1", owner: OWNER };
        const arn = await killedCreate(i);
        assert.equal((await createSecret(i, testContext())).id, arn);
    });

    it("still says 'already exists' for a secret of that name this resource did not create", async () => {
        await observer().send(new CreateSecretCommand({ Name: "killed/foreign", SecretString: "x" }));
        await killedCreate(inputs("killed/other-stack", { owner: "organization/proj/prod::db" }));
        await assert.rejects(
            createSecret(inputs("killed/foreign", { owner: OWNER }), testContext()),
            /killed\/foreign: a secret with this name already exists/,
        );
        await assert.rejects(
            createSecret(inputs("killed/other-stack", { owner: OWNER }), testContext()),
            /killed\/other-stack: a secret with this name already exists/,
        );
    });

    it("the provider's tag is not drift: refresh reports only the user's tags", async () => {
        const { id, outs } = await createSecret(inputs("killed/refresh", { owner: OWNER, tags: { a: "b" } }), testContext());
        const tags = (await observer().send(new DescribeSecretCommand({ SecretId: id }))).Tags!.map((t) => t.Key).sort();
        assert.deepEqual(tags, ["a", OWNER_TAG]);
        const read = await readSecret(id, outs, testContext());
        assert.deepEqual(read.props!.tags, { a: "b" });
    });
});

describe("autonames derived from the owner", () => {
    const check = (owner = OWNER) =>
        checkSecret({}, { resourceName: "db", owner, secretString: "v" }, { project: "proj", aws: { region: "us-east-1" } }, lookup);

    it("the next run picks the name of the killed run's autonamed create, and its create takes that secret", async () => {
        const first = await check();
        assert.equal(first.inputs.name, autonameCandidate("db", OWNER, "us-east-1", 0));
        const arn = await killedCreate(first.inputs as unknown as SecretInputs);
        const again = await check();
        assert.equal(again.inputs.name, first.inputs.name);
        assert.equal((await createSecret(again.inputs as unknown as SecretInputs, testContext())).id, arn);
        assert.deepEqual(await secretsNamed("db-"), [first.inputs.name]);
    });

    it("passes over its own predecessor in a recovery window, and a name another stack holds", async () => {
        const ctx = testContext({ recoveryWindowInDays: "7" });
        const first = await check();
        const made = await createSecret(first.inputs as unknown as SecretInputs, ctx);
        await deleteSecret(made.id, made.outs, ctx);
        const next = await check();
        assert.equal(next.inputs.name, autonameCandidate("db", OWNER, "us-east-1", 1));
        await observer().send(new CreateSecretCommand({ Name: String(next.inputs.name), SecretString: "someone else's" }));
        assert.equal((await check()).inputs.name, autonameCandidate("db", OWNER, "us-east-1", 2));
    });

    it("differ between stacks and resources", async () => {
        assert.notEqual((await check("organization/proj/dev::db")).inputs.name, (await check("organization/proj/prod::db")).inputs.name);
    });
});

describe("a name in its recovery window under both readings of DeletedDate", () => {
    for (const reading of ["scheduled", "request-time"] as const) {
        it(`fails with the date AWS gave and the ways out when DeletedDate is the ${reading}`, async () => {
            const ctx = testContext({ recoveryWindowInDays: "7", purgeTimeoutSeconds: "3" });
            const first = await createSecret(inputs(`window/${reading}`), ctx);
            await deleteSecret(first.id, first.outs, ctx);
            aws().layer.deletedDateReading = reading;
            const scheduled = (await observer().send(new DescribeSecretCommand({ SecretId: first.id }))).DeletedDate!;
            const given = (await new SecretsManagerClient({ region: "us-east-1" }).send(new DescribeSecretCommand({ SecretId: first.id })))
                .DeletedDate!;
            if (reading === "request-time")
                assert.ok(given.getTime() < scheduled.getTime() - 6 * 86_400_000, `the layer answered ${given.toISOString()}`);
            else assert.equal(given.getTime(), scheduled.getTime());
            await assert.rejects(createSecret(inputs(`window/${reading}`), ctx), (e: Error) => {
                assert.match(e.message, /a secret with this name is scheduled for deletion/);
                assert.match(e.message, /`adopt: true` and `restoreIfScheduled: true`/);
                assert.doesNotMatch(e.message, /still held by a deleted secret after/, "reported as a slow purge");
                if (reading === "request-time") assert.match(e.message, /has held the name unchanged for \d+s.*recovery window/);
                return true;
            });
        });
    }
});
