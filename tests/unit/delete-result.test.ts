// One delete result from the lifecycle's delete to the teardown's report (core/delete-result.ts): whatever the delete
// returned is what the event line carries and what the summary lists for the secret, field for field; the v1 lines
// written before still read the same; a refusal or failure is what the engine is told, once.

import { strict as assert } from "assert";
import {
    deleteEvent,
    DeleteNotDoneError,
    DeleteResult,
    formatEvent,
    isDone,
    parseEvent,
    reportOf,
} from "../../provider/core/delete-result";
import { SecretOperationError } from "../../provider/core/errors";
import { DestroyDecision } from "../../provider/core/policy";
import { outcomeLine, SecretInState, SecretOutcome, secretOutcomes } from "../../provider/commands/outcome";

const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf";
const secret = { id: ARN, name: "app/db", region: "us-east-1" };
const inState: SecretInState = { urn: "urn:pulumi:pr-7::app::safesecret:index:Secret::db", ...secret };

const forceByTeardown: DestroyDecision = {
    kind: "delete",
    policy: { mode: "force", source: "stack" },
    inUseGuard: { days: 0, source: "off" },
    configSource: "teardown",
};
const refusal: DestroyDecision = { kind: "refuse", reason: "proj:teardownProtection is true" };

/** Every outcome a delete can return, with the decision it came from and the line the teardown prints for it. */
const EACH_KIND: { result: DeleteResult; decision: DestroyDecision; line: RegExp }[] = [
    {
        result: { outcome: "already-gone", replicasRemoved: [] },
        decision: forceByTeardown,
        line: /^✓ app\/db \(us-east-1\): already-gone — already gone; nothing to delete$/,
    },
    {
        result: { outcome: "already-scheduled", deletionDate: "2026-12-01T00:00:00.000Z", replicasRemoved: [] },
        decision: forceByTeardown,
        line: /already-scheduled — already scheduled for deletion \(2026-12-01T00:00:00\.000Z\); left as it was$/,
    },
    {
        result: { outcome: "scheduled", deletionDate: "2026-12-08T10:00:00.000Z", recoveryWindowInDays: 7, replicasRemoved: ["eu-west-1"] },
        decision: forceByTeardown,
        line: /scheduled — scheduled for deletion on 2026-12-08T10:00:00\.000Z — force delete without recovery \(stack config\), set by the teardown$/,
    },
    {
        result: { outcome: "force-deleted", purged: false, replicasRemoved: [] },
        decision: forceByTeardown,
        line: /^✓ .*force-deleted — deleted without recovery; AWS was still purging the name — force delete/,
    },
    {
        result: { outcome: "refused", error: "deleting secret app/db: nothing was deleted: protected", replicasRemoved: [] },
        decision: refusal,
        line: /^✗ app\/db \(us-east-1\): refused — deleting secret app\/db: nothing was deleted: protected$/,
    },
    {
        result: {
            outcome: "in-use",
            error: "deleting secret app/db: nothing was deleted: AWS reports app/db last accessed on 2026-11-30",
            lastAccessedDate: "2026-11-30T00:00:00.000Z",
            replicasRemoved: [],
        },
        decision: forceByTeardown,
        line: /^✗ .*in-use — deleting secret app\/db: nothing was deleted: AWS reports app\/db last accessed on 2026-11-30$/,
    },
    {
        result: { outcome: "failed", error: "deleting secret app/db: AccessDeniedException: no", replicasRemoved: ["eu-west-1"] },
        decision: forceByTeardown,
        line: /^✗ .*failed — deleting secret app\/db: AccessDeniedException: no$/,
    },
];

/** The summary entry for one secret whose delete wrote `line`, as the teardown builds it from the engine's output. */
function summaryEntry(line: string): SecretOutcome {
    const event = parseEvent(line)!;
    return secretOutcomes([inState], isDone(event) ? [] : [inState], new Map([[event.id, event]]), new Map())[0]!;
}

/** The entry's fields that came from the report (the secret's identity and `detail` are the teardown's). */
function reportedFields(entry: SecretOutcome): Record<string, unknown> {
    const { urn: _u, id: _i, name: _n, region: _r, detail: _d, ...reported } = entry;
    return reported;
}

describe("one delete result, from the delete to the summary", () => {
    for (const { result, decision, line } of EACH_KIND) {
        it(`${result.outcome}: the same fields in the event and in the summary entry, and the line says it`, () => {
            const event = parseEvent(formatEvent(deleteEvent(secret, decision, result)));
            assert.ok(event, "the line is read back");
            const decided =
                decision.kind === "delete"
                    ? { policy: "force delete without recovery (stack config)", policySource: "stack", configSource: "teardown" }
                    : {};
            assert.deepEqual(reportOf(event), { ...result, ...decided });
            const entry = summaryEntry(formatEvent(event));
            assert.deepEqual(reportedFields(entry), { ...result, ...decided });
            assert.match(outcomeLine(entry), line);
        });
    }

    it("the event keeps the v1 wire format: one flat JSON object, the envelope beside the result", () => {
        const result: DeleteResult = {
            outcome: "scheduled",
            deletionDate: "2026-12-08T10:00:00.000Z",
            recoveryWindowInDays: 7,
            replicasRemoved: [],
        };
        const line = formatEvent(deleteEvent(secret, forceByTeardown, result));
        assert.ok(line.startsWith("[pulumi-safe-secret:event] {"));
        assert.deepEqual(JSON.parse(line.slice(line.indexOf("{"))), {
            v: 1,
            kind: "delete",
            id: ARN,
            name: "app/db",
            region: "us-east-1",
            outcome: "scheduled",
            deletionDate: "2026-12-08T10:00:00.000Z",
            recoveryWindowInDays: 7,
            replicasRemoved: [],
            policy: "force delete without recovery (stack config)",
            policySource: "stack",
            configSource: "teardown",
        });
    });

    it("names the configuration that decided the policy, and none where the Secret's own input did", () => {
        const forced: DeleteResult = { outcome: "force-deleted", purged: true, replicasRemoved: [] };
        const byStack = summaryEntry(formatEvent(deleteEvent(secret, forceByTeardown, forced)));
        assert.match(outcomeLine(byStack), /force delete without recovery \(stack config\), set by the teardown$/);
        const own: typeof forceByTeardown = {
            ...forceByTeardown,
            ...(forceByTeardown.kind === "delete" ? { policy: { mode: "force", source: "resource" } as const } : {}),
        };
        const byInput = summaryEntry(formatEvent(deleteEvent(secret, own, forced)));
        assert.match(outcomeLine(byInput), /force delete without recovery \(resource input\)$/);
        assert.equal(byInput.configSource, "teardown", "the configuration in force is still recorded");
    });

    it("reads v1 lines as the provider wrote them before the result was one type (its field order) into the same entries", () => {
        const written = [
            `[pulumi-safe-secret:event] {"v":1,"kind":"delete","id":"${ARN}","name":"app/db","region":"us-east-1","policy":"recovery window of 7 days (stack config)","configSource":"current","outcome":"scheduled","replicasRemoved":["eu-west-1"],"deletionDate":"2026-12-08T10:00:00.000Z","recoveryWindowInDays":7}`,
            `[pulumi-safe-secret:event] {"v":1,"kind":"delete","id":"${ARN}","name":"app/db","region":"us-east-1","policy":"force delete without recovery (stack config)","configSource":"current","outcome":"in-use","replicasRemoved":[],"error":"deleting secret app/db: nothing was deleted: in use","lastAccessedDate":"2026-11-30T00:00:00.000Z"}`,
            `[pulumi-safe-secret:event] {"v":1,"kind":"delete","id":"${ARN}","name":"app/db","region":"us-east-1","outcome":"refused","replicasRemoved":[],"error":"deleting secret app/db: nothing was deleted: protected"}`,
        ];
        const [scheduled, inUse, refused] = written.map(summaryEntry);
        assert.deepEqual(
            [scheduled!.outcome, scheduled!.deletionDate, scheduled!.replicasRemoved, scheduled!.policy, scheduled!.configSource],
            ["scheduled", "2026-12-08T10:00:00.000Z", ["eu-west-1"], "recovery window of 7 days (stack config)", "current"],
        );
        assert.equal(
            scheduled!.detail,
            "scheduled for deletion on 2026-12-08T10:00:00.000Z — recovery window of 7 days (stack config), from the current configuration",
        );
        assert.deepEqual(
            [inUse!.outcome, inUse!.lastAccessedDate, inUse!.detail],
            ["in-use", "2026-11-30T00:00:00.000Z", "deleting secret app/db: nothing was deleted: in use"],
        );
        assert.deepEqual(
            [refused!.outcome, refused!.detail, refused!.policy],
            ["refused", "deleting secret app/db: nothing was deleted: protected", undefined],
        );
    });

    it("a line that does not hold a whole v1 delete event is not taken for one (the secret is then judged by state)", () => {
        const line = (json: string) => `[pulumi-safe-secret:event] ${json}`;
        for (const json of [
            `{"v":2,"kind":"delete","id":"x","outcome":"scheduled","replicasRemoved":[]}`,
            `{"v":1,"kind":"delete","id":"x","outcome":"vanished","replicasRemoved":[]}`,
            `{"v":1,"kind":"delete","id":"x","outcome":"scheduled"}`,
            `{"v":1,"kind":"delete","id":"x","outcome":"failed","replicasRemoved":[]}`,
            `{"v":1,"kind":"delete","id":"x","outcome":"scheduled","replicasRemoved":[`,
        ])
            assert.equal(parseEvent(line(json)), undefined, json);
        assert.equal(parseEvent(`  ${line(`{"v":1,"kind":"delete","id":"x","outcome":"scheduled","replicasRemoved":[]}`)}\n`)?.id, "x");
    });

    it("a refused or failed result is the engine's error, with the result's message once and the result itself", () => {
        for (const { result } of EACH_KIND) {
            if (isDone(result)) continue;
            const e = new DeleteNotDoneError(result);
            assert.ok(e instanceof SecretOperationError, "runtime.ts drops the host's echo of our own errors");
            assert.equal(e.message, result.error);
            assert.equal(e.result, result);
        }
        assert.deepEqual(
            EACH_KIND.map(({ result }) => [result.outcome, isDone(result)]),
            [
                ["already-gone", true],
                ["already-scheduled", true],
                ["scheduled", true],
                ["force-deleted", true],
                ["refused", false],
                ["in-use", false],
                ["failed", false],
            ],
        );
    });
});
