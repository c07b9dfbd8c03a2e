// `pulumi up` SIGKILLed (CLI, language host, provider) after AWS carried out a create or an update but before its
// answer arrived — a cancelled CI job. State then holds only a pending operation. The next `pulumi up` must find
// the secret that create made and take it into state: one secret in AWS, that one in state, named or autonamed,
// with or without the pending creates cleared first; a destroy then leaves nothing behind.

import { strict as assert } from "assert";
import { spawn } from "child_process";
import { GetSecretValueCommand, ListSecretsCommand } from "@aws-sdk/client-secrets-manager";
import { observer } from "../support/aws-fixtures";
import { aws } from "../support/harness";
import { cli, EngineStack, env, programStack } from "../support/engine";
import { killProcessesIn, repairKilledFileBackend, sleep } from "../support/processes";

const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { Secret } from "pulumi-safe-secret";
const config = new pulumi.Config();
const named = new Secret("named", { name: config.get("name") ?? "killed-create", secretString: pulumi.secret(config.get("value") ?? "v1") });
const auto = new Secret("auto", { secretString: pulumi.secret("auto-value") });
export const names = [named.name, auto.name];
`;

/** Every secret moto holds, live or scheduled, by name. */
async function secretsInAws(): Promise<{ name: string; arn: string; deleted: boolean }[]> {
    const list = await observer().send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
    return (list.SecretList ?? [])
        .map((s) => ({ name: s.Name!, arn: s.ARN!, deleted: !!s.DeletedDate }))
        .sort((a, b) => a.name.localeCompare(b.name));
}

async function secretsInState(s: EngineStack): Promise<{ name: string; arn: string }[]> {
    const state = JSON.parse(await cli(s, ["stack", "export"]));
    return (state.deployment.resources ?? [])
        .filter((r: any) => r.type.endsWith(":Secret"))
        .map((r: any) => ({ name: r.outputs.name, arn: r.id }))
        .sort((a: any, b: any) => a.name.localeCompare(b.name));
}

/** Runs `pulumi up` and kills everything it started once AWS has carried out `calls` calls of `op` (answers held back). */
async function upKilledAfter(s: EngineStack, op: string, calls: number): Promise<void> {
    aws().layer.faults.push({ op, kind: "slow-answer", times: calls, delayMs: 8000 });
    aws().layer.calls.length = 0;
    const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", "test"], {
        cwd: s.workDir,
        env: { ...process.env, ...env(s.workDir) },
        detached: true,
        stdio: "ignore",
    });
    const deadline = Date.now() + 90_000;
    const done = () => aws().layer.calls.filter((c) => c.op === op && c.done).length;
    while (done() < calls && Date.now() < deadline) await sleep(100);
    assert.equal(done(), calls, `the up never got AWS to carry out ${calls} ${op}`);
    process.kill(-child.pid!, "SIGKILL");
    await new Promise((r) => child.once("exit", r));
    // The engine starts the language host and providers in process groups of their own.
    killProcessesIn(s.workDir);
    repairKilledFileBackend(s.stateDir);
    const state = JSON.parse(await cli(s, ["stack", "export"]));
    assert.ok((state.deployment.pending_operations ?? []).length > 0, "the kill came too late: state has no pending operation");
}

describe("a pulumi up killed after AWS acted", function () {
    this.timeout(300_000);

    // The killed CLI's lock must go first (`pulumi cancel`); then the next up alone, or after the pending creates were
    // cleared from state by a refresh, as a user may do.
    for (const clearPending of [false, true]) {
        it(`the next up takes the killed creates' secrets into state (named and autonamed)${clearPending ? ", after `pulumi refresh --clear-pending-creates`" : ""}`, async () => {
            const s = await programStack("killedcreate", PROGRAM);
            await upKilledAfter(s, "CreateSecret", 2);
            const made = await secretsInAws();
            assert.equal(made.length, 2, "AWS did not create both secrets");
            await cli(s, ["cancel", "--yes"]);
            if (clearPending) await cli(s, ["refresh", "--yes", "--clear-pending-creates"]);

            const out = await cli(s, ["up", "--yes", "--skip-preview"]);
            assert.match(out, /taken into state \(an interrupted earlier create of this resource made it\)/);
            assert.deepEqual(await secretsInAws(), made, "a second secret was made, or one was lost");
            assert.deepEqual(
                await secretsInState(s),
                made.map(({ name, arn }) => ({ name, arn })),
            );
            await cli(s, ["preview", "--expect-no-changes"]);

            await cli(s, ["config", "set", "forceDelete", "true"]);
            await cli(s, ["destroy", "--yes"]);
            assert.deepEqual(await secretsInAws(), [], "the destroy left a secret in AWS");
        });
    }

    it("killed during a replace (new name, created first): the next up keeps the new secret and deletes the old", async () => {
        const s = await programStack("killedreplace", PROGRAM);
        await cli(s, ["config", "set", "forceDelete", "true"]);
        await cli(s, ["up", "--yes", "--skip-preview"]);
        await cli(s, ["config", "set", "name", "killed-create-renamed"]);
        await upKilledAfter(s, "CreateSecret", 1);
        await cli(s, ["cancel", "--yes"]);

        await cli(s, ["up", "--yes", "--skip-preview"]);
        const live = (await secretsInAws()).map((x) => x.name);
        assert.equal(live.length, 2);
        assert.ok(live.includes("killed-create-renamed") && !live.includes("killed-create"), `in AWS: ${live.join(", ")}`);
        assert.deepEqual((await secretsInState(s)).map((x) => x.name).sort(), live);
        await cli(s, ["destroy", "--yes"]);
        assert.deepEqual(await secretsInAws(), []);
    });

    it("killed during an update of the value: the next up leaves the new value in the one secret", async () => {
        const s = await programStack("killedupdate", PROGRAM);
        await cli(s, ["config", "set", "forceDelete", "true"]);
        await cli(s, ["up", "--yes", "--skip-preview"]);
        await cli(s, ["config", "set", "value", "v2", "--secret"]);
        await upKilledAfter(s, "UpdateSecret", 1);
        await cli(s, ["cancel", "--yes"]);

        await cli(s, ["up", "--yes", "--skip-preview"]);
        assert.equal((await observer().send(new GetSecretValueCommand({ SecretId: "killed-create" }))).SecretString, "v2");
        assert.equal((await secretsInAws()).length, 2);
        await cli(s, ["preview", "--expect-no-changes"]);
        await cli(s, ["destroy", "--yes"]);
        assert.deepEqual(await secretsInAws(), []);
    });
});
