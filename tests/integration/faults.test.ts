// Faults injected between the SDK and the local Secrets Manager at every step. Retryable ones must be absorbed
// by the SDK's retries (adaptive mode); non-retryable ones must fail the step clearly and leave AWS as it was.

import { DEFAULT_MAX_ATTEMPTS } from "../../provider/aws/client";
import { strict as assert } from "assert";
import { DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand } from "@aws-sdk/client-secrets-manager";
import { createSecret } from "../../provider/lifecycle/create";
import { deleteSecret } from "../../provider/lifecycle/delete";
import { updateSecret } from "../../provider/lifecycle/update";
import { FaultKind } from "../support/aws-layer";
import { aws } from "../support/harness";
import { describeOrUndefined, inputs, observer, testContext } from "../support/aws-fixtures";

const RETRYABLE: { kind: FaultKind; times: number; delayMs?: number }[] = [
    { kind: "throttle", times: 2 },
    { kind: "500", times: 2 },
    { kind: "503", times: 2 },
    { kind: "reset", times: 2 },
    { kind: "lost-answer", times: 1 },
    { kind: "slow", times: 1, delayMs: 1500 },
];

const exists = async (id: string, region = "us-east-1") => (await describeOrUndefined(id, region)) !== undefined;

/** Each step: set it up (no faults), then run it with the fault on `op`, then check AWS. */
const STEPS: {
    step: string;
    op: string;
    run: () => Promise<void>;
}[] = [
    {
        step: "create",
        op: "CreateSecret",
        run: async () => {
            arm();
            const { id } = await createSecret(inputs("f-create", { replicas: [{ region: "eu-west-1" }] }), testContext());
            const all = await observer().send(new ListSecretsCommand({}));
            assert.deepEqual(
                all.SecretList!.map((s) => s.ARN),
                [id],
                "exactly one secret",
            );
        },
    },
    {
        step: "value update",
        op: "UpdateSecret",
        run: async () => {
            const ctx = testContext();
            const { id, outs } = await createSecret(inputs("f-update"), ctx);
            arm();
            await updateSecret(id, outs, { ...outs, secretString: "rotated-value" }, ctx);
            const v = await observer().send(new GetSecretValueCommand({ SecretId: id }));
            assert.equal(v.SecretString, "rotated-value");
        },
    },
    {
        step: "replica add",
        op: "ReplicateSecretToRegions",
        run: async () => {
            const ctx = testContext();
            const { id, outs } = await createSecret(inputs("f-repadd"), ctx);
            arm();
            await updateSecret(id, outs, { ...outs, replicas: [{ region: "eu-west-1" }] }, ctx);
            assert.ok(await exists("f-repadd", "eu-west-1"));
        },
    },
    {
        step: "replica remove",
        op: "RemoveRegionsFromReplication",
        run: async () => {
            const ctx = testContext();
            const { id, outs } = await createSecret(inputs("f-reprm", { replicas: [{ region: "eu-west-1" }] }), ctx);
            arm();
            await updateSecret(id, outs, { ...outs, replicas: [] }, ctx);
            assert.equal(await exists("f-reprm", "eu-west-1"), false);
        },
    },
    {
        step: "DeleteSecret (window)",
        op: "DeleteSecret",
        run: async () => {
            const ctx = testContext({ recoveryWindowInDays: "7" });
            const { id, outs } = await createSecret(inputs("f-delete"), ctx);
            arm();
            const r = await deleteSecret(id, outs, ctx);
            assert.ok(["scheduled", "already-scheduled"].includes(r.outcome), r.outcome);
            assert.ok((await observer().send(new DescribeSecretCommand({ SecretId: id }))).DeletedDate);
        },
    },
    {
        step: "wait after a force delete",
        op: "DescribeSecret",
        run: async () => {
            const ctx = testContext({ forceDelete: "true" });
            const { id, outs } = await createSecret(inputs("f-wait"), ctx);
            // State knows no replicas, so DeleteSecret comes first and every DescribeSecret is a wait after it.
            arm();
            const r = await deleteSecret(id, outs, ctx);
            assert.equal(r.outcome, "force-deleted");
            assert.equal(await exists(id), false);
        },
    },
];

let current: { op: string; kind: FaultKind; times: number; delayMs?: number } | undefined;
/** Puts the fault under test on its operation; each step calls it once its own setup is done. */
function arm(): void {
    if (current) aws().layer.faults.push({ op: current.op, kind: current.kind, times: current.times, delayMs: current.delayMs });
}

describe("faults the SDK's standard retries absorb", function () {
    this.timeout(60_000);
    for (const s of STEPS) {
        for (const f of RETRYABLE) {
            // A lost answer to a read is just a retried read; the interesting lost answers are to writes.
            if (f.kind === "lost-answer" && s.op === "DescribeSecret") continue;
            it(`${s.step} survives ${f.times}× ${f.kind} on ${s.op}`, async () => {
                current = { op: s.op, ...f };
                await s.run();
                const injected = Object.entries(aws().layer.faultsInjected)
                    .filter(([k]) => k.startsWith(`${s.op}:`))
                    .reduce((n, [, v]) => n + v, 0);
                assert.equal(injected, f.times, `expected ${f.times} injected ${f.kind} faults on ${s.op}, saw ${injected}`);
                current = undefined;
            });
        }
    }
});

describe("faults that must fail the step clearly", () => {
    it("a create refused by AWS says so and creates nothing", async () => {
        aws().layer.faults.push({
            op: "CreateSecret",
            kind: "error",
            times: 1,
            errorName: "AccessDeniedException",
            errorMessage: "User is not authorized to perform: secretsmanager:CreateSecret",
        });
        await assert.rejects(
            createSecret(inputs("denied"), testContext()),
            /^Error: creating secret denied: AccessDeniedException: User is not authorized to perform: secretsmanager:CreateSecret — nothing was created$|creating secret denied: AccessDeniedException: User is not authorized/,
        );
        assert.equal(await exists("denied"), false);
        assert.equal(aws().layer.count("CreateSecret"), 1, "a non-retryable error must not be retried");
    });

    it("an update refused by AWS leaves the old value in place and names the failed call", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(inputs("upd-denied"), ctx);
        aws().layer.faults.push({
            op: "UpdateSecret",
            kind: "error",
            times: 1,
            errorName: "AccessDeniedException",
            errorMessage: "not allowed",
        });
        await assert.rejects(updateSecret(id, outs, { ...outs, secretString: "new-value-zz" }, ctx), (e: Error) => {
            assert.match(e.message, /^updating secret upd-denied: AccessDeniedException: not allowed — UpdateSecret failed/);
            assert.ok(!e.message.includes("new-value-zz") && !e.message.includes("value-upd-denied"), "value in the error");
            return true;
        });
        assert.equal((await observer().send(new GetSecretValueCommand({ SecretId: id }))).SecretString, "value-upd-denied");
    });

    it("retries stop after the SDK's attempt budget with the AWS error in the message", async () => {
        aws().layer.faults.push({ op: "CreateSecret", kind: "503", times: 100 });
        await assert.rejects(createSecret(inputs("down"), testContext()), /creating secret down: ServiceUnavailable/);
        assert.equal(aws().layer.count("CreateSecret"), DEFAULT_MAX_ATTEMPTS);
        assert.equal(await exists("down"), false);
    });
});
