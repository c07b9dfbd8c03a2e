// generateSecretString and generation against moto: AWS generates the value at create and on a generation change;
// the value is read back only here, with the observer client, and searched for in everything the provider returns
// and logs.

import { strict as assert } from "assert";
import { CreateSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand } from "@aws-sdk/client-secrets-manager";
import { createSecret } from "../../provider/lifecycle/create";
import { diffSecret } from "../../provider/core/diff";
import { readSecret } from "../../provider/lifecycle/read";
import { updateSecret } from "../../provider/lifecycle/update";
import { checkSecret } from "../../provider/lifecycle/check";
import { createStep, updateStep } from "../../provider/lifecycle/steps";
import { GenerateSecretStringSpec } from "../../provider/core/generated-value";
import { SecretInputs } from "../../provider/core/types";
import { aws } from "../support/harness";
import { observer, testContext, TestContext } from "../support/aws-fixtures";

/** A Secret with a generated value (no secretString). */
function generatedInputs(name: string, spec: GenerateSecretStringSpec = {}, extra: Partial<SecretInputs> = {}): SecretInputs {
    return { name, region: "us-east-1", generateSecretString: spec, ...extra };
}

/** The value AWS holds now, read past the layer so the provider's call counts are untouched. */
async function valueOf(id: string): Promise<{ value: string; versionId: string }> {
    const v = await observer().send(new GetSecretValueCommand({ SecretId: id }));
    return { value: v.SecretString!, versionId: v.VersionId! };
}

/** Asserts the value (and, for a template, the password in it) appears nowhere in what the provider returned or logged. */
function assertNowhere(value: string, ctx: TestContext, ...returned: unknown[]): void {
    const parsed = safeParse(value);
    const needles = [value, ...(parsed ? Object.values(parsed).filter((v): v is string => typeof v === "string" && v.length >= 8) : [])];
    for (const needle of needles) {
        for (const r of returned) assert.ok(!JSON.stringify(r).includes(needle), `the value is in ${JSON.stringify(r).slice(0, 200)}`);
        assert.ok(!ctx.lines.join("\n").includes(needle), "the value is in a progress line");
    }
}

function safeParse(text: string): Record<string, unknown> | undefined {
    try {
        const v: unknown = JSON.parse(text);
        return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}

const versionsOf = async (id: string) => (await observer().send(new ListSecretVersionIdsCommand({ SecretId: id }))).Versions ?? [];

describe("a generated value (generateSecretString)", () => {
    it("is made by GetRandomPassword and handed straight to CreateSecret, and is in neither the outputs nor the logs", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(generatedInputs("gen/plain"), ctx);
        assert.deepEqual(aws().layer.ops(), ["GetRandomPassword", "CreateSecret"]);
        const { value, versionId } = await valueOf(id);
        assert.equal(value.length, 32, "AWS's default length");
        assert.equal(outs.versionId, versionId);
        assert.equal("secretString" in outs, false);
        assert.deepEqual(outs.generateSecretString, {});
        assertNowhere(value, ctx, outs);
    });

    it("satisfies its constraints: length, excluded classes and characters, each included class present", async () => {
        const spec = { passwordLength: 20, excludePunctuation: true, excludeCharacters: "aeiouAEIOU01", requireEachIncludedType: true };
        const { id } = await createSecret(generatedInputs("gen/constrained", spec), testContext());
        const { value } = await valueOf(id);
        assert.equal(value.length, 20);
        assert.match(value, /^[A-Za-z0-9]+$/, "no punctuation");
        assert.doesNotMatch(value, /[aeiouAEIOU01]/, "no excluded character");
        for (const cls of [/[a-z]/, /[A-Z]/, /[0-9]/]) assert.match(value, cls);
        const wire = aws().layer.calls.find((c) => c.op === "GetRandomPassword")!.body;
        assert.deepEqual(wire, {
            PasswordLength: 20,
            ExcludeCharacters: "aeiouAEIOU01",
            ExcludePunctuation: true,
            RequireEachIncludedType: true,
        });
    });

    it("fills CDK's template form: the template with the password at generateStringKey", async () => {
        const ctx = testContext();
        const spec = { secretStringTemplate: JSON.stringify({ username: "app" }), generateStringKey: "password", passwordLength: 24 };
        const { id, outs } = await createSecret(generatedInputs("gen/template", spec), ctx);
        const { value } = await valueOf(id);
        const parsed = JSON.parse(value);
        assert.deepEqual(Object.keys(parsed), ["username", "password"]);
        assert.equal(parsed.username, "app");
        assert.equal(parsed.password.length, 24);
        assertNowhere(value, ctx, outs);
    });

    it("puts exactly one newly generated value when generation changes, with a new versionId", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(generatedInputs("gen/rotate", {}, { generation: "1" }), ctx);
        const before = await valueOf(id);
        const news = { ...outs, generation: "2" } as SecretInputs;
        assert.deepEqual(diffSecret(outs, news).updates, ["generation"]);
        aws().layer.reset();
        const next = await updateSecret(id, outs, news, ctx);
        assert.deepEqual(aws().layer.ops(), ["GetRandomPassword", "PutSecretValue"]);
        const after = await valueOf(id);
        assert.notEqual(after.value, before.value);
        assert.equal(next.versionId, after.versionId);
        assert.notEqual(next.versionId, outs.versionId);
        assert.equal((await versionsOf(id)).length, 2, "one new version");
        assert.match(ctx.lines.join("\n"), /gen\/rotate: a new value generated \(generation changed\)/);
        assertNowhere(after.value, ctx, next);
        assertNowhere(before.value, ctx, next);
    });

    it("changes nothing in AWS when only the generation parameters change (the value in AWS is kept)", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(generatedInputs("gen/params", { passwordLength: 32 }), ctx);
        const before = await valueOf(id);
        const news = { ...outs, generateSecretString: { passwordLength: 64, excludePunctuation: true } } as SecretInputs;
        assert.deepEqual(diffSecret(outs, news).updates, ["generateSecretString"]);
        aws().layer.reset();
        const next = await updateSecret(id, outs, news, ctx);
        assert.deepEqual(aws().layer.ops(), [], "no AWS call at all");
        assert.deepEqual(await valueOf(id), before);
        assert.deepEqual(next.generateSecretString, { passwordLength: 64, excludePunctuation: true });
        assert.equal(next.versionId, outs.versionId);
    });

    it('takes 2 and "2" as one generation: check stores a number as its string, so switching puts nothing', async () => {
        const stack = { project: "proj", aws: { region: "us-east-1" } };
        const checked = await checkSecret({}, { name: "gen/num", generateSecretString: {}, generation: 2 }, stack);
        assert.deepEqual(checked.failures, []);
        assert.equal(checked.inputs.generation, "2");
        const ctx = testContext();
        const { id, outs } = await createSecret(checked.inputs, ctx);
        const again = await checkSecret(outs, { name: "gen/num", generateSecretString: {}, generation: "2" }, stack);
        aws().layer.reset();
        await updateSecret(id, outs, { ...outs, ...again.inputs }, ctx);
        assert.deepEqual(aws().layer.ops(), []);
    });

    it("switching from secretString generates once and drops the value from state", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret({ name: "gen/switch-in", region: "us-east-1", secretString: "given-value-1" }, ctx);
        const { secretString: _, ...rest } = outs;
        const news = { ...rest, generateSecretString: { passwordLength: 40 } } as SecretInputs;
        aws().layer.reset();
        const next = await updateSecret(id, outs, news, ctx);
        assert.deepEqual(aws().layer.ops(), ["GetRandomPassword", "PutSecretValue"]);
        const { value, versionId } = await valueOf(id);
        assert.equal(value.length, 40);
        assert.equal(next.versionId, versionId);
        assert.equal("secretString" in next, false, "the given value is no longer in state");
        assert.ok(!JSON.stringify(next).includes("given-value-1"));
        assertNowhere(value, ctx, next);
        // The next up with the same inputs generates nothing.
        aws().layer.reset();
        await updateSecret(id, next, news, ctx);
        assert.deepEqual(aws().layer.ops(), []);
    });

    it("switching to secretString puts the given value", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(generatedInputs("gen/switch-out", {}, { generation: "1" }), ctx);
        const { generateSecretString: _g, generation: _n, ...rest } = outs;
        aws().layer.reset();
        const next = await updateSecret(id, outs, { ...rest, secretString: "now-given" } as SecretInputs, ctx);
        assert.deepEqual(aws().layer.ops(), ["UpdateSecret"]);
        assert.equal((await valueOf(id)).value, "now-given");
        assert.equal(next.generateSecretString, undefined);
    });

    it("adopting a secret that has a value keeps the value AWS holds, until generation changes", async () => {
        const made = await observer().send(new CreateSecretCommand({ Name: "gen/adopted", SecretString: "held-by-aws" }));
        const ctx = testContext();
        aws().layer.reset();
        const { id, outs } = await createSecret(generatedInputs("gen/adopted", {}, { adopt: true, generation: "1" }), ctx);
        assert.equal(id, made.ARN);
        assert.ok(
            !aws()
                .layer.ops()
                .some((op) => op === "GetRandomPassword" || op === "PutSecretValue" || op === "CreateSecret"),
        );
        assert.equal((await valueOf(id)).value, "held-by-aws");
        assert.equal(outs.versionId, made.VersionId);
        aws().layer.reset();
        await updateSecret(id, outs, { ...outs, generation: "2" } as SecretInputs, ctx);
        assert.deepEqual(aws().layer.ops(), ["GetRandomPassword", "PutSecretValue"]);
        assert.notEqual((await valueOf(id)).value, "held-by-aws");
    });

    it("adopting a secret without any value stores a generated one", async () => {
        await observer().send(new CreateSecretCommand({ Name: "gen/adopted-empty" }));
        const ctx = testContext();
        const { id, outs } = await createSecret(generatedInputs("gen/adopted-empty", { passwordLength: 16 }, { adopt: true }), ctx);
        const { value, versionId } = await valueOf(id);
        assert.equal(value.length, 16);
        assert.equal(outs.versionId, versionId);
        assertNowhere(value, ctx, outs);
    });

    it("after `pulumi import` (state read from AWS, no parameters), adding generateSecretString and generation keeps the value", async () => {
        const made = await observer().send(new CreateSecretCommand({ Name: "gen/imported", SecretString: "imported-value" }));
        const ctx = testContext();
        const read = await readSecret(made.ARN!, { region: "us-east-1" }, ctx);
        aws().layer.reset();
        const next = await updateSecret(
            made.ARN!,
            read.props!,
            { ...read.props!, generateSecretString: {}, generation: "1" } as SecretInputs,
            ctx,
        );
        assert.deepEqual(aws().layer.ops(), []);
        assert.equal((await valueOf(made.ARN!)).value, "imported-value");
        assert.deepEqual(next.generateSecretString, {});
    });

    it("refresh reads neither the value nor anything that holds it: one DescribeSecret", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(generatedInputs("gen/refresh", {}, { generation: "1" }), ctx);
        const { value } = await valueOf(id);
        aws().layer.reset();
        const r = await readSecret(id, outs, ctx);
        assert.deepEqual(aws().layer.ops(), ["DescribeSecret"]);
        assert.deepEqual(r.props!.generateSecretString, {});
        assert.equal(r.props!.generation, "1");
        assertNowhere(value, ctx, r);
    });

    it("a replace (name change) creates the new secret with a newly generated value", async () => {
        const ctx = testContext();
        const first = await createSecret(generatedInputs("gen/old-name"), ctx);
        const news = { ...first.outs, name: "gen/new-name" } as SecretInputs;
        assert.deepEqual(diffSecret(first.outs, news).replaces, ["name"]);
        const second = await createSecret(generatedInputs("gen/new-name"), ctx);
        assert.notEqual((await valueOf(second.id)).value, (await valueOf(first.id)).value);
    });

    it("keeps the value out of an error whose AWS text quotes it", async () => {
        const rule = {
            op: "CreateSecret",
            kind: "error" as const,
            times: 1,
            errorName: "ValidationException",
            errorMessage: "",
            // AWS's validation errors may quote a parameter: the injected text quotes the value sent.
            when: (b: { SecretString?: string }) => ((rule.errorMessage = `Value '${b.SecretString}' at 'secretString' failed`), true),
        };
        aws().layer.faults.push(rule);
        const ctx = testContext();
        const spec = { secretStringTemplate: '{"u":"app"}', generateStringKey: "p" };
        const err = await createSecret(generatedInputs("gen/error", spec), ctx).then(
            () => assert.fail("the create should fail"),
            (e: Error) => e,
        );
        const sent = aws().layer.calls.find((c) => c.op === "CreateSecret")!.body.SecretString as string;
        assert.match(err.message, /creating secret gen\/error: ValidationException: Value '\[generated value\]' at 'secretString' failed/);
        const password = JSON.parse(sent).p as string;
        for (const text of [err.message, String((err as { cause?: Error }).cause?.message), ctx.lines.join("\n")]) {
            assert.ok(!text.includes(sent) && !text.includes(password), text);
        }
    });

    it("keeps the value out of the outputs both adapters return (the lifecycle steps)", async () => {
        const stack = { project: "proj", aws: { region: "us-east-1" } };
        const lines: string[] = [];
        const out = Object.assign((m: string) => lines.push(m), { raw: (m: string) => lines.push(m) });
        const created = await createStep(generatedInputs("gen/steps", { passwordLength: 48 }, { generation: "a" }), stack, out);
        const first = (await valueOf(created.id)).value;
        const outs = await updateStep(created.id, created.outs, { ...created.outs, generation: "b" } as SecretInputs, stack, out);
        const second = (await valueOf(created.id)).value;
        for (const v of [first, second]) {
            assert.ok(!JSON.stringify([created, outs]).includes(v));
            assert.ok(!lines.join("\n").includes(v));
        }
        assert.equal(outs.versionId, (await valueOf(created.id)).versionId);
    });
});
