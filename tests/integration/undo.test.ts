// The undo against AWS (moto, through the AWS-behaviour layer): what it restores from a teardown's summary, what it
// leaves, and a summary it refuses whole. The secrets are deleted by the provider's own delete, so each entry's
// outcome is the one a teardown would report.

import { strict as assert } from "assert";
import { DeleteSecretCommand } from "@aws-sdk/client-secrets-manager";
import { createSecret } from "../../provider/lifecycle/create";
import { deleteSecret } from "../../provider/lifecycle/delete";
import { EXIT, SecretOutcome } from "../../provider/commands/outcome";
import { undo } from "../../provider/commands/undo";
import { undoLine } from "../../provider/commands/undo-check";
import { describeOrUndefined, inputs, observer, testContext } from "../support/aws-fixtures";
import { aws } from "../support/harness";

const windowed = () => testContext({ recoveryWindowInDays: "7" });

type Created = Awaited<ReturnType<typeof createSecret>>;

/** The provider's delete of a secret as a teardown runs it: its summary entry, with the outcome the delete reported. */
async function deleted(s: Created, ctx = windowed()): Promise<SecretOutcome> {
    const r = await deleteSecret(s.id, s.outs, ctx);
    const name = s.outs.name;
    return {
        urn: `urn:pulumi:stg::p::safesecret:index:Secret::${name}`,
        id: s.id,
        name,
        region: "us-east-1",
        outcome: r.outcome,
        detail: "",
    };
}

/** A secret created, then deleted as a teardown deletes it. */
const tornDown = async (name: string, ctx = windowed()) => deleted(await createSecret(inputs(name), ctx), ctx);

/** A secret created, then scheduled for deletion outside Pulumi, then deleted as a teardown deletes it. */
async function scheduledBeforeTeardown(name: string): Promise<SecretOutcome> {
    const s = await createSecret(inputs(name), windowed());
    await observer().send(new DeleteSecretCommand({ SecretId: s.id, RecoveryWindowInDays: 7 }));
    return deleted(s);
}

const run = (summary: unknown) => undo(summary, "the summary teardown.json", { progress: () => undefined });
const scheduled = async (id: string) => (await describeOrUndefined(id))?.DeletedDate !== undefined;

describe("undo from a teardown's summary", () => {
    it("restores what the teardown scheduled, its removed replica re-created; a secret already scheduled before the teardown stays scheduled", async () => {
        const mine = { ...(await tornDown("undo/mine")), replicasRemoved: ["eu-west-1"] };
        const theirs = await scheduledBeforeTeardown("undo/before");
        assert.equal(theirs.outcome, "already-scheduled");
        aws().layer.calls.length = 0;

        const u = await run({ secrets: [mine, theirs] });
        assert.deepEqual([u.result, u.exitCode], ["done", EXIT.DONE], u.reason);
        assert.equal(await scheduled(mine.id), false, "the secret the teardown scheduled was not restored");
        assert.ok(await describeOrUndefined("undo/mine", "eu-west-1"), "its replica was not re-created");
        assert.equal(await scheduled(theirs.id), true, "a secret scheduled outside the teardown was restored");
        assert.deepEqual(
            aws()
                .layer.calls.filter((c) => c.op === "RestoreSecret")
                .map((c) => c.body.SecretId),
            [mine.id],
        );
        assert.deepEqual(u.secrets.map(undoLine), [
            "✓ undo/mine (us-east-1): restored — restored (RestoreSecret); replicas re-created in eu-west-1",
            "· undo/before (us-east-1): not-scheduled — the teardown did not schedule it: it was already scheduled for deletion before the teardown; left as it is",
        ]);
        assert.deepEqual(
            u.secrets.map((s) => [s.teardownOutcome, s.outcome]),
            [
                ["scheduled", "restored"],
                ["already-scheduled", "not-scheduled"],
            ],
        );

        const again = await run({ secrets: [mine, theirs] });
        assert.deepEqual([again.result, again.exitCode, again.reason], ["done", EXIT.DONE, "1 already-live"]);
    });

    it("says there is nothing to do, exit 0, when the teardown scheduled nothing itself", async () => {
        const before = await scheduledBeforeTeardown("undo/only-before");
        const u = await run({ secrets: [before] });
        assert.deepEqual([u.result, u.exitCode], ["nothing-to-do", EXIT.DONE]);
        assert.match(
            u.reason!,
            /^the summary teardown\.json has no secret the teardown scheduled or deleted \(1 already-scheduled\): nothing to restore$/,
        );
        assert.equal(await scheduled(before.id), true);
    });

    it("refuses a summary whose entry names one secret while its ARN is another's (exit 64, the entry named), restoring nothing from it", async () => {
        const s1 = await tornDown("stg/s1");
        const other = await tornDown("pr-4/s0");
        aws().layer.calls.length = 0;

        const edited = { ...other, name: "stg/s0", urn: "urn:pulumi:stg::p::safesecret:index:Secret::stg/s0" };
        const u = await run({ stack: "stg", secrets: [s1, edited] });
        assert.deepEqual([u.result, u.exitCode, u.secrets], ["refused", EXIT.USAGE, []]);
        assert.deepEqual(u.problems, [
            {
                at: "secrets[1]",
                name: "stg/s0",
                id: other.id,
                problem: `its name is "stg/s0", but AWS's secret at that ARN is "pr-4/s0": the entry names two different secrets`,
            },
        ]);
        assert.equal(aws().layer.count("RestoreSecret"), 0);
        assert.equal(await scheduled(other.id), true, "another stack's secret was restored");
        assert.equal(await scheduled(s1.id), true, "a secret of a refused summary was restored");
    });

    it("exit 1 when a secret the teardown took away cannot come back (force-deleted, or gone from AWS); the others are restored", async () => {
        const back = await tornDown("undo/back");
        const forced = await tornDown("undo/forced", testContext({ forceDelete: "true" }));
        const expired = await tornDown("undo/expired");
        // Its recovery window ended: AWS has deleted it for good.
        await observer().send(new DeleteSecretCommand({ SecretId: expired.id, ForceDeleteWithoutRecovery: true }));
        assert.equal(forced.outcome, "force-deleted");

        const u = await run({ secrets: [back, forced, expired] });
        assert.deepEqual([u.result, u.exitCode], ["failed", EXIT.FAILED]);
        assert.equal(u.reason, "2 of 3 secrets the teardown took away not restored (2 not-recoverable); each line says why");
        assert.deepEqual(u.secrets.map(undoLine), [
            "✓ undo/back (us-east-1): restored — restored (RestoreSecret)",
            "✗ undo/forced (us-east-1): not-recoverable — the teardown deleted it without recovery",
            "✗ undo/expired (us-east-1): not-recoverable — AWS no longer has it (its recovery window ended, or it was deleted since)",
        ]);
        assert.equal(await scheduled(back.id), false);
    });

    it("restores nothing when it cannot check every entry (exit 1, which one and why), and restores once the cause is gone", async () => {
        const a = await tornDown("undo/a");
        const b = await tornDown("undo/b");
        aws().layer.faults.push({
            op: "DescribeSecret",
            kind: "error",
            times: 1,
            errorName: "AccessDeniedException",
            errorMessage: "User is not authorized to perform: secretsmanager:DescribeSecret",
            when: (body) => body.SecretId === b.id,
        });
        const u = await run({ secrets: [a, b] });
        assert.deepEqual([u.result, u.exitCode, u.secrets], ["failed", EXIT.FAILED, []]);
        assert.match(
            u.reason!,
            /^1 secret could not be checked against AWS \(secrets\[1\], undo\/b: AccessDeniedException: User is not authorized .*\); nothing restored/,
        );
        assert.equal(aws().layer.count("RestoreSecret"), 0);
        assert.equal(await scheduled(a.id), true);

        assert.equal((await run({ secrets: [a, b] })).result, "done");
        assert.equal(await scheduled(a.id), false);
        assert.equal(await scheduled(b.id), false);
    });
});
