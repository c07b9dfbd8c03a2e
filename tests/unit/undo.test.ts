// The undo's checks of a summary before it restores anything, and what it decides from the teardown's outcomes
// (pure: undo-check.ts). Against AWS (moto) in tests/integration/undo.test.ts.

import { strict as assert } from "assert";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Described } from "../../provider/aws/secrets";
import { EXIT, SecretOutcome } from "../../provider/commands/outcome";
import { undo } from "../../provider/commands/undo";
import { awsProblem, checkSummaryShape, problemLine, restoreDecision, UndoneSecret, undoResult } from "../../provider/commands/undo-check";
import { sameStack } from "../../provider/commands/last-state";

const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:stg/s0-AbCdEf";
const entry = (extra: Record<string, unknown> = {}) => ({
    urn: "urn:pulumi:stg::p::x",
    id: ARN,
    name: "stg/s0",
    region: "us-east-1",
    outcome: "scheduled",
    detail: "scheduled for deletion on 2026-12-11",
    ...extra,
});

/** DescribeSecret's answer with these fields. */
const described = (fields: Omit<Described, "$metadata">): Described => ({ $metadata: {}, ...fields });

/** A client that fails the test if the undo calls AWS at all. */
const noAws = (): SecretsManagerClient => {
    throw new Error("the undo called AWS for a summary it should have refused on its shape");
};

describe("undo: a summary is checked whole before anything is restored", () => {
    it("refuses each kind of inconsistency with exit 64, naming the entry (its place, name and id) and what disagrees, without calling AWS", async () => {
        const bad: [unknown, string, RegExp][] = [
            [{ secrets: "abc" }, "secrets", /it is "abc", not a list/],
            [[entry()], "(the summary)", /not a teardown's or a sweep's JSON summary/],
            [{ v: 1, result: "done" }, "(the summary)", /neither `secrets` .* nor `stacks`/],
            [{ secrets: ["abc"] }, "secrets[0]", /"abc", not an object/],
            [{ secrets: [entry({ id: 42 })] }, "secrets[0]", /its id is 42, not a string/],
            [{ secrets: [entry({ id: "stg/s0" })] }, "secrets[0]", /its id "stg\/s0" is not a Secrets Manager ARN/],
            [{ secrets: [entry({ id: "arn:aws:iam::123456789012:role/x" })] }, "secrets[0]", /not a Secrets Manager ARN/],
            [{ secrets: [entry({ name: 7 })] }, "secrets[0]", /its name is 7, not a secret's name/],
            [
                { secrets: [entry({ outcome: "restored" })] },
                "secrets[0]",
                /its outcome is "restored", not one a teardown reports \(scheduled, /,
            ],
            [{ secrets: [entry({ region: "eu-west-1" })] }, "secrets[0]", /its region is "eu-west-1", but its ARN is in us-east-1/],
            [{ secrets: [entry({ replicasRemoved: "eu-west-1" })] }, "secrets[0]", /replicasRemoved is "eu-west-1", not a list of regions/],
            [{ stacks: [{ stack: "a", secrets: [entry()] }, { stack: "b" }] }, "stacks[1]", /no `secrets` list/],
            [{ stacks: [{ secrets: [entry(), entry({ outcome: 1 })] }] }, "stacks[0].secrets[1]", /its outcome is 1/],
        ];
        for (const [summary, at, problem] of bad) {
            const u = await undo(summary, "the summary s.json", { progress: () => undefined, client: noAws });
            const label = JSON.stringify(summary);
            assert.equal(u.exitCode, EXIT.USAGE, label);
            assert.equal(u.result, "refused", label);
            assert.deepEqual(u.secrets, [], label);
            assert.match(u.reason!, /^the summary s\.json does not hold together .*; nothing restored/, label);
            assert.equal(u.problems!.length, 1, label);
            assert.equal(u.problems![0]!.at, at, label);
            assert.match(u.problems![0]!.problem, problem, label);
        }
    });

    it("names every entry at fault, with its name and id, in one refusal of the whole summary", () => {
        const c = checkSummaryShape({ secrets: [entry(), entry({ region: "eu-west-1" }), entry({ name: "pr-4/s0", outcome: "gone" })] });
        assert.ok(!c.ok);
        assert.deepEqual(c.problems.map(problemLine), [
            `✗ secrets[1] (stg/s0, ${ARN}): its region is "eu-west-1", but its ARN is in us-east-1: the entry names two different secrets`,
            `✗ secrets[2] (pr-4/s0, ${ARN}): its outcome is "gone", not one a teardown reports (scheduled, force-deleted, already-gone, already-scheduled, refused, in-use, failed, kept, unreported)`,
        ]);
    });

    it("takes a teardown's and a sweep's entries, each with its ARN's region when it names none", () => {
        const c = checkSummaryShape({ stacks: [{ secrets: [entry({ region: undefined })] }, { secrets: [] }] });
        assert.ok(c.ok);
        assert.deepEqual(
            c.entries.map((e) => [e.at, e.secret.name, e.secret.region]),
            [["stacks[0].secrets[0]", "stg/s0", "us-east-1"]],
        );
    });

    it("refuses an entry whose ARN AWS knows under another name (the entry names one secret, its ARN another); not found is no disagreement", () => {
        const c = checkSummaryShape({ secrets: [entry()] });
        assert.ok(c.ok);
        const e = c.entries[0]!;
        assert.deepEqual(awsProblem(e, described({ Name: "pr-4/s0", ARN })), {
            at: "secrets[0]",
            name: "stg/s0",
            id: ARN,
            problem: `its name is "stg/s0", but AWS's secret at that ARN is "pr-4/s0": the entry names two different secrets`,
        });
        assert.match(
            awsProblem(e, described({ Name: "stg/s0", ARN: ARN.replace("AbCdEf", "XyZxYz") }))!.problem,
            /AWS answers for it with the ARN/,
        );
        assert.equal(awsProblem(e, described({ Name: "stg/s0", ARN })), undefined);
        assert.equal(awsProblem(e, undefined), undefined);
    });
});

describe("undo: what it restores, decided from the teardown's outcome", () => {
    const s = (outcome: SecretOutcome["outcome"], extra: Partial<SecretOutcome> = {}): SecretOutcome =>
        entry({ outcome, ...extra }) as SecretOutcome;
    const scheduledInAws = described({ Name: "stg/s0", ARN, DeletedDate: new Date() });

    it("restores only what the teardown scheduled; a secret already scheduled before it is left as it is", () => {
        assert.deepEqual(
            restoreDecision(s("scheduled", { replicasRemoved: ["eu-west-1", "eu-central-1"] }), scheduledInAws, ["eu-central-1"]),
            {
                action: "restore",
                replicas: ["eu-west-1"],
            },
        );
        const before = restoreDecision(s("already-scheduled", { replicasRemoved: ["eu-west-1"] }), scheduledInAws, []);
        assert.equal(before.action, "report");
        assert.ok(before.action === "report");
        assert.equal(before.outcome, "not-scheduled");
        assert.match(before.detail, /the teardown did not schedule it/);
        assert.deepEqual(before.replicas, []);
        for (const o of ["already-gone", "refused", "in-use", "failed", "kept", "unreported"] as const)
            assert.equal(restoreDecision(s(o), scheduledInAws, []).action, "report", o);
    });

    it("reports a force-deleted secret, and a scheduled one AWS no longer has, as not recoverable; a live one as already live", () => {
        const of = (d: ReturnType<typeof restoreDecision>) => (d.action === "report" ? d.outcome : d.action);
        assert.equal(of(restoreDecision(s("force-deleted"), undefined, [])), "not-recoverable");
        assert.equal(of(restoreDecision(s("scheduled"), undefined, [])), "not-recoverable");
        assert.equal(of(restoreDecision(s("scheduled"), described({ Name: "stg/s0", ARN }), [])), "already-live");
    });

    it("exit 1 when any secret the teardown took away is not back; exit 0 'nothing-to-do', not 'done', when it took none", () => {
        const u = (teardownOutcome: UndoneSecret["teardownOutcome"], outcome: UndoneSecret["outcome"]): UndoneSecret => ({
            id: ARN,
            name: "stg/s0",
            region: "us-east-1",
            teardownOutcome,
            outcome,
            detail: "",
        });
        const done = undoResult(
            [u("scheduled", "restored"), u("scheduled", "already-live"), u("already-scheduled", "not-scheduled")],
            "the summary s.json",
        );
        assert.deepEqual([done.result, done.exitCode, done.reason], ["done", EXIT.DONE, "1 restored, 1 already-live"]);
        for (const notBack of [u("force-deleted", "not-recoverable"), u("scheduled", "not-recoverable"), u("scheduled", "failed")]) {
            const r = undoResult([u("scheduled", "restored"), notBack], "the summary s.json");
            assert.deepEqual([r.result, r.exitCode], ["failed", EXIT.FAILED], notBack.teardownOutcome);
            assert.match(r.reason!, new RegExp(`^1 of 2 secrets the teardown took away not restored \\(1 ${notBack.outcome}\\)`));
        }
        const nothing = undoResult([u("already-scheduled", "not-scheduled"), u("refused", "not-scheduled")], "the summary s.json");
        assert.deepEqual([nothing.result, nothing.exitCode], ["nothing-to-do", EXIT.DONE]);
        assert.match(
            nothing.reason!,
            /^the summary s\.json has no secret the teardown scheduled or deleted \(1 already-scheduled, 1 refused\): nothing to restore$/,
        );
        assert.equal(undoResult([], "the summary s.json").result, "nothing-to-do");
    });
});

describe("undo --stack: which listed stack is the one named", () => {
    it("matches a short name against a qualified one, and not another organization's or project's stack", () => {
        assert.ok(sameStack("pr-7", "pr-7"));
        assert.ok(sameStack("org/proj/pr-7", "pr-7"));
        assert.ok(sameStack("pr-7", "org/proj/pr-7"));
        assert.ok(!sameStack("org/a/pr-7", "org/b/pr-7"));
        assert.ok(!sameStack("pr-70", "pr-7"));
    });
});
