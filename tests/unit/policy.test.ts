import { strict as assert } from "assert";
import {
    CurrentConfigRead,
    deleteSecretParameters,
    describePolicy,
    destroyDecision,
    resolveDeletionPolicy,
    validateSettings,
} from "../../provider/core/policy";

describe("deletion policy: resource input > stack config > AWS default", () => {
    const cases: [string, object, object, object][] = [
        ["nothing set gives AWS's 30-day window", {}, {}, { mode: "window", recoveryWindowInDays: 30, source: "aws-default" }],
        ["stack window applies", {}, { recoveryWindowInDays: 7 }, { mode: "window", recoveryWindowInDays: 7, source: "stack" }],
        ["stack force applies", {}, { forceDelete: true }, { mode: "force", source: "stack" }],
        [
            "resource window beats stack force",
            { recoveryWindowInDays: 14 },
            { forceDelete: true },
            { mode: "window", recoveryWindowInDays: 14, source: "resource" },
        ],
        ["resource force beats stack window", { forceDelete: true }, { recoveryWindowInDays: 7 }, { mode: "force", source: "resource" }],
        [
            "resource forceDelete:false beats stack force and keeps AWS's window",
            { forceDelete: false },
            { forceDelete: true },
            { mode: "window", recoveryWindowInDays: 30, source: "aws-default" },
        ],
        [
            "resource forceDelete:false takes the stack's window length",
            { forceDelete: false },
            { recoveryWindowInDays: 9 },
            { mode: "window", recoveryWindowInDays: 9, source: "stack" },
        ],
        [
            "stack forceDelete:false keeps a window",
            {},
            { forceDelete: false },
            { mode: "window", recoveryWindowInDays: 30, source: "aws-default" },
        ],
        [
            "stack forceDelete:false with a window uses it",
            {},
            { forceDelete: false, recoveryWindowInDays: 21 },
            { mode: "window", recoveryWindowInDays: 21, source: "stack" },
        ],
    ];
    for (const [title, resource, stack, expected] of cases) {
        it(title, () => assert.deepEqual(resolveDeletionPolicy(resource, stack), expected));
    }

    it("maps a window onto RecoveryWindowInDays only", () => {
        assert.deepEqual(deleteSecretParameters({ mode: "window", recoveryWindowInDays: 7, source: "stack" }), { RecoveryWindowInDays: 7 });
    });
    it("maps force onto ForceDeleteWithoutRecovery only", () => {
        assert.deepEqual(deleteSecretParameters({ mode: "force", source: "stack" }), { ForceDeleteWithoutRecovery: true });
    });
    it("describes the policy with where it came from", () => {
        assert.equal(
            describePolicy({ mode: "window", recoveryWindowInDays: 7, source: "stack" }),
            "recovery window of 7 days (stack config)",
        );
        assert.equal(describePolicy({ mode: "force", source: "resource" }), "force delete without recovery (resource input)");
    });
});

describe("deletion settings validation", () => {
    const accepted: [unknown, unknown, object][] = [
        [7, undefined, { recoveryWindowInDays: 7 }],
        ["30", undefined, { recoveryWindowInDays: 30 }],
        [" 12 ", undefined, { recoveryWindowInDays: 12 }],
        [undefined, true, { forceDelete: true }],
        [undefined, "false", { forceDelete: false }],
        [14, false, { recoveryWindowInDays: 14, forceDelete: false }],
    ];
    for (const [w, f, expected] of accepted) {
        it(`accepts recoveryWindowInDays=${JSON.stringify(w)} forceDelete=${JSON.stringify(f)}`, () => {
            const r = validateSettings({ recoveryWindowInDays: w, forceDelete: f }, "stack", "proj");
            assert.deepEqual(r.problems, []);
            assert.deepEqual(r.settings, expected);
        });
    }

    const rejectedWindows: unknown[] = [0, 6, 31, 7.5, -1, "abc", "7.5", "", "1e1", true, "0x7"];
    for (const w of rejectedWindows) {
        it(`rejects resource recoveryWindowInDays=${JSON.stringify(w)} naming the key, the value and the fix`, () => {
            const r = validateSettings({ recoveryWindowInDays: w }, "resource");
            assert.equal(r.settings, undefined);
            assert.equal(r.problems.length, 1);
            assert.equal(r.problems[0].key, "recoveryWindowInDays");
            assert.match(r.problems[0].reason, /recoveryWindowInDays is .* whole number of days from 7 to 30/);
        });
    }

    it("treats the stack's schema default 0 as not set", () => {
        const r = validateSettings({ recoveryWindowInDays: "0", forceDelete: "true" }, "stack", "proj");
        assert.deepEqual(r.problems, []);
        assert.deepEqual(r.settings, { forceDelete: true });
    });

    const rejectedForce: unknown[] = ["yes", "True", "1", 1, "ture", "", "on", 0];
    for (const f of rejectedForce) {
        it(`rejects stack forceDelete=${JSON.stringify(f)}: a typo never becomes a force delete`, () => {
            const r = validateSettings({ forceDelete: f }, "stack", "proj");
            assert.equal(r.settings, undefined);
            assert.equal(r.problems[0].key, "proj:forceDelete");
            assert.match(r.problems[0].reason, /only true or false/);
            assert.match(r.problems[0].reason, /pulumi config set forceDelete true/);
        });
    }

    it("rejects a window together with forceDelete=true at one level, naming both keys and the fix", () => {
        const r = validateSettings({ recoveryWindowInDays: "7", forceDelete: "true" }, "stack", "proj");
        assert.equal(r.settings, undefined);
        assert.equal(r.problems.length, 1);
        assert.match(r.problems[0].reason, /proj:recoveryWindowInDays is "7" and proj:forceDelete is "true"/);
        assert.match(r.problems[0].reason, /pulumi config rm/);
    });

    it("rejects both at resource level with a fix for the Secret's inputs", () => {
        const r = validateSettings({ recoveryWindowInDays: 7, forceDelete: true }, "resource");
        assert.match(r.problems[0].reason, /set only one of the Secret's recoveryWindowInDays and forceDelete/);
    });
});

describe("destroy-time decision: current configuration, else recorded for a window, never recorded for a force", () => {
    const recorded = (o: object) => ({ project: "app", ...o });
    const read = (o: object): CurrentConfigRead => ({ ok: true, stack: { project: "app", ...o } });
    const unreadable: CurrentConfigRead = { ok: false, problem: "no pulumi on PATH" };
    // [title, resource inputs, recorded stack config, current read, expected]
    const cases: [string, object, object, CurrentConfigRead, object][] = [
        [
            "the current force setting wins over a recorded window",
            {},
            { recoveryWindowInDays: "7" },
            read({ forceDelete: "true" }),
            { use: "current", mode: "force" },
        ],
        [
            "the current window wins over a recorded force",
            {},
            { forceDelete: "true" },
            read({ recoveryWindowInDays: "14" }),
            { use: "current", mode: "window", days: 14 },
        ],
        [
            "unreadable, a recorded window is used",
            {},
            { recoveryWindowInDays: "7" },
            unreadable,
            { use: "recorded", mode: "window", days: 7 },
        ],
        ["unreadable, no recorded setting keeps AWS's window", {}, {}, unreadable, { use: "recorded", mode: "window", days: 30 }],
        ["unreadable, a recorded stack force is refused", {}, { forceDelete: "true" }, unreadable, { refuse: true }],
        ["unreadable, a resource force needs no stack config", { forceDelete: true }, {}, unreadable, { use: "recorded", mode: "force" }],
        [
            "unreadable, a resource window beats a recorded stack force",
            { recoveryWindowInDays: 9 },
            { forceDelete: "true" },
            unreadable,
            { use: "recorded", mode: "window", days: 9 },
        ],
        [
            "current teardownProtection refuses a current force",
            {},
            {},
            read({ forceDelete: "true", teardownProtection: "true" }),
            { refuse: true },
        ],
        [
            "current teardownProtection refuses a resource force",
            { forceDelete: true },
            {},
            read({ teardownProtection: "true" }),
            { refuse: true },
        ],
        [
            "current teardownProtection allows a window",
            {},
            {},
            read({ teardownProtection: "true", recoveryWindowInDays: "7" }),
            { use: "current", mode: "window", days: 7 },
        ],
        [
            "protection set after the last up counts",
            {},
            { forceDelete: "true" },
            read({ forceDelete: "true", teardownProtection: "true" }),
            { refuse: true },
        ],
        [
            "unreadable, recorded teardownProtection refuses a resource force",
            { forceDelete: true },
            { teardownProtection: "true" },
            unreadable,
            { refuse: true },
        ],
    ];
    for (const [title, resource, rec, current, expected] of cases) {
        it(title, () => {
            const d = destroyDecision(resource, recorded(rec), current);
            if (d.kind === "refuse") {
                assert.ok((expected as any).refuse, `refused: ${d.reason}`);
                assert.match(
                    d.reason,
                    /could not read the stack's current configuration \(no pulumi on PATH\).*says force delete|teardownProtection is true, so secrets of this stack may not be deleted without recovery/,
                );
                return;
            }
            assert.ok(!(expected as any).refuse, "not refused");
            assert.equal(d.configSource, (expected as any).use);
            assert.equal(d.policy.mode, (expected as any).mode);
            if (d.policy.mode === "window") assert.equal(d.policy.recoveryWindowInDays, (expected as any).days);
            if (d.configSource === "recorded") assert.match(d.note ?? "", /using the configuration recorded at the last `pulumi up`/);
        });
    }

    it("a bad current value stops the delete instead of falling back", () => {
        const d = destroyDecision({}, recorded({}), read({ forceDelete: "yes" }));
        assert.equal(d.kind, "refuse");
        assert.match(d.kind === "refuse" ? d.reason : "", /app:forceDelete is "yes"/);
    });

    it("without a destroy-time read, the configuration given decides", () => {
        const d = destroyDecision({}, recorded({ forceDelete: "true" }));
        assert.deepEqual(d, {
            kind: "delete",
            policy: { mode: "force", source: "stack" },
            inUseGuard: { days: 0, source: "off", project: "app" },
            configSource: "configured",
        });
    });
});
