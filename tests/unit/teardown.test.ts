// The commands' pure parts: arguments (util.parseArgs), engine errors, which stacks a sweep chooses, the pool, the
// quota share, the in-use guard. Outcomes are tested on events the real delete emits (tests/integration/teardown-events.test.ts).

import { strict as assert } from "assert";
import { TokenBucket } from "../../provider/aws/rate-limit";
import { parseCommand, parseSweepArgs, parseTeardownArgs, parseUndoArgs, UsageError } from "../../provider/commands/args";
import { parseDuration } from "../../provider/core/parse";
import { chooseStacks, inPool, protectionOf, StackConfigRead } from "../../provider/commands/sweep-select";
import { protectionProblem } from "../../provider/core/policy";
import { inUseRefusal } from "../../provider/core/policy";
import { engineError } from "../../provider/commands/engine-error";
import { secretsOfDeployment } from "../../provider/commands/last-state";

describe("teardown command: arguments", () => {
    it("parses a pipeline's invocation", () => {
        assert.deepEqual(
            parseTeardownArgs([
                "--stack",
                "pr-7",
                "--force-delete",
                "--remove-stack",
                "--policy-pack",
                "p",
                "--policy-pack-config",
                "c.json",
            ]),
            {
                stack: "pr-7",
                cwd: ".",
                deletion: "force",
                removeStack: true,
                allowMissing: false,
                unlock: false,
                runProgram: false,
                policyPacks: ["p"],
                policyPackConfigs: ["c.json"],
                summaryFile: undefined,
            },
        );
        assert.equal(parseTeardownArgs(["--stack", "s", "--recovery-window", "14"]).deletion, 14);
        assert.equal(parseTeardownArgs(["--stack", "s"]).deletion, undefined);
        // A pack judges the state, which needs no program.
        assert.deepEqual(parseTeardownArgs(["--stack", "s", "--no-preview", "--policy-pack", "p"]).policyPacks, ["p"]);
    });

    it("rejects what it cannot do safely, saying why", () => {
        const bad: [string[], RegExp][] = [
            [[], /--stack is required/],
            [["--stack"], /Option '--stack <value>' argument missing/],
            [["--stack", "--force-delete"], /'--stack' argument is ambiguous/],
            [["--stack", "s", "--recovery-window", "31"], /accepts only a whole number of days from 7 to 30/],
            [["--stack", "s", "--recovery-window", "7.5"], /accepts only a whole number/],
            [["--stack", "s", "--recovery-window", "7", "--force-delete"], /give only one of/],
            [["--stack", "s", "--policy-pack-config", "c"], /needs a --policy-pack/],
            [["--stack", "s", "--forcedelete"], /Unknown option '--forcedelete'/],
        ];
        for (const [argv, message] of bad)
            assert.throws(
                () => parseTeardownArgs(argv),
                (e: Error) => e instanceof UsageError && message.test(e.message),
                argv.join(" "),
            );
    });
});

describe("teardown command: engine errors", () => {
    it("gives the CLI's error line, and the way out of a lock", () => {
        const commandError = new Error(
            "code: 255\n stdout: \n stderr: error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n\n err?: \n",
        );
        assert.match(engineError(commandError, "pr-7"), /^stack pr-7 is locked: .* run the same command with --unlock$/);
        assert.equal(
            engineError(new Error("code: 255\n stdout: \n stderr: warning: x\nerror: failed to load checkpoint\n"), "s"),
            "failed to load checkpoint",
        );
        assert.equal(engineError(new Error("\nsomething else\n"), "s"), "something else");
        assert.equal(
            engineError(new Error("stderr: error: Running program '/p' failed with an unhandled exception:\n\nError: boom\n  at x\n"), "s"),
            "Running program '/p' failed with an unhandled exception: Error: boom",
        );
    });
});

describe("sweep and undo: arguments", () => {
    it("parses a sweep, with durations in s, m, h and d", () => {
        const o = parseSweepArgs([
            "--stacks",
            "pr-*",
            "--stacks",
            "review-?",
            "--idle-for",
            "72h",
            "--force-delete",
            "--concurrency",
            "4",
            "--dry-run",
            "--json",
        ]);
        assert.deepEqual(
            [o.stacks, o.idleForMs, o.deletion, o.concurrency, o.maxCallsPerSecond, o.dryRun, o.json],
            [["pr-*", "review-?"], 72 * 3_600_000, "force", 4, 50, true, true],
        );
        assert.deepEqual(["90s", "90m", "3d", "3w", "1.5h", "h"].map(parseDuration), [
            90_000,
            5_400_000,
            259_200_000,
            undefined,
            undefined,
            undefined,
        ]);
    });

    it("rejects a sweep or undo it cannot run, with the reason and exit 64's usage", () => {
        const bad: [() => unknown, RegExp][] = [
            [() => parseSweepArgs(["--idle-for", "1h"]), /--stacks is required/],
            [() => parseSweepArgs(["--stacks", "pr-*"]), /--idle-for is required/],
            [() => parseSweepArgs(["--stacks", "pr-*", "--idle-for", "3 days"]), /--idle-for is "3 days"; give a whole number and a unit/],
            [() => parseSweepArgs(["--stacks", "pr-*", "--idle-for", "1h", "--concurrency", "0"]), /--concurrency is "0"/],
            [() => parseSweepArgs(["--stacks", "pr-*", "--idle-for", "1h", "--json"]), /--json lists what a --dry-run would tear down/],
            [() => parseUndoArgs([]), /--from <summary.json> .* or --stack <name> .* is required/],
            [() => parseUndoArgs(["--from", "f.json", "--stack", "s"]), /not both/],
            [() => parseUndoArgs(["--from", "f.json", "--cwd", "d"]), /--cwd goes with --stack/],
            [() => parseCommand(["destroy"]), /unknown command "destroy"/],
            [() => parseCommand([]), /no command given/],
        ];
        for (const [f, message] of bad) assert.throws(f, (e: Error) => e instanceof UsageError && message.test(e.message), String(message));
    });

    it("--help after any command gives that command's usage", () => {
        for (const c of ["teardown", "sweep", "undo"]) {
            const r = parseCommand([c, "--help"]);
            assert.ok(r.command === "help" && r.text.startsWith(`usage: pulumi-safe-secret ${c}`), c);
        }
    });
});

describe("sweep: which stacks go", () => {
    const now = Date.parse("2026-12-01T12:00:00Z");
    const ago = (h: number) => new Date(now - h * 3_600_000).toISOString();
    /** A configuration read that found no teardownProtection key. */
    const plain: StackConfigRead = { ok: true, values: { "aws:region": { value: "us-east-1", secret: false } } };
    const by = (patterns: string[], idleForMs: number, removeStack = false) => ({ patterns, idleForMs, now, project: "app", removeStack });

    it("a matching stack idle longer than the bound goes; fresh, other, busy ones stay, each saying why", () => {
        const c = chooseStacks(
            [
                { name: "pr-1", lastUpdate: ago(100), config: plain },
                { name: "org/app/pr-2", lastUpdate: ago(80), config: plain },
                { name: "pr-3", lastUpdate: ago(2), config: plain },
                { name: "prod", lastUpdate: ago(1000) },
                { name: "pr-4", lastUpdate: ago(200), updateInProgress: true, config: plain },
                { name: "pr-5", config: plain },
            ],
            by(["pr-*"], 72 * 3_600_000),
        );
        assert.deepEqual(
            c.map((x) => [x.stack, x.go]),
            [
                ["pr-1", true],
                ["org/app/pr-2", true],
                ["pr-3", false],
                ["prod", false],
                ["pr-4", false],
                ["pr-5", true],
            ],
        );
        assert.match(c[0]!.why, /matches pr-\*, idle for 100\.0h/);
        assert.match(c[2]!.why, /updated 2\.0h ago, within 72\.0h/);
        assert.match(c[3]!.why, /matches none of pr-\*/);
        assert.match(c[4]!.why, /update is in progress/);
    });

    it("resumes a stack whose last destroy did not finish, however fresh; skips an empty one unless it is to be removed", () => {
        const c = chooseStacks(
            [
                { name: "pr-7", lastUpdate: ago(0.1), lastOperation: "destroy", resourceCount: 3, config: plain },
                { name: "pr-8", lastUpdate: ago(0.1), lastOperation: "update", resourceCount: 3, config: plain },
                { name: "pr-9", lastUpdate: ago(100), resourceCount: 0, config: plain },
            ],
            by(["pr-*"], 3_600_000),
        );
        assert.deepEqual(
            c.map((x) => [x.stack, x.go, x.why]),
            [
                ["pr-7", true, "matches pr-*, its last destroy did not finish"],
                ["pr-8", false, "updated 0.1h ago, within 1.0h"],
                ["pr-9", false, "holds no resources (torn down already)"],
            ],
        );
        assert.equal(
            chooseStacks([{ name: "pr-9", lastUpdate: ago(100), resourceCount: 0, config: plain }], by(["pr-*"], 3_600_000, true))[0]!.go,
            true,
        );
    });

    it("never takes a stack under teardown protection, in either namespace, however idle: typed, naming the key and value", () => {
        const config = (values: Record<string, string>, secret = false): StackConfigRead => ({
            ok: true,
            values: Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value, secret }])),
        });
        const c = chooseStacks(
            [
                { name: "prod", lastUpdate: ago(1000), resourceCount: 2, config: config({ "app:teardownProtection": "true" }) },
                { name: "org/app/staging", config: config({ "safesecret:teardownProtection": "true" }) },
                {
                    name: "pr-1",
                    lastUpdate: ago(100),
                    config: config({ "app:teardownProtection": "false", "safesecret:teardownProtection": "false" }),
                },
                // Another project's key is not this stack's protection.
                { name: "pr-2", lastUpdate: ago(100), config: config({ "other:teardownProtection": "true" }) },
                // Protection is what keeps a busy or fresh stack too: the dry run says so first.
                { name: "pr-3", lastUpdate: ago(0.1), updateInProgress: true, config: config({ "app:teardownProtection": "true" }) },
            ],
            by(["*"], 0, true),
        );
        assert.deepEqual(
            c.map((x) => [x.stack, x.go, x.protected, x.protection]),
            [
                ["prod", false, true, { kind: "protected", key: "app:teardownProtection", value: "true" }],
                ["org/app/staging", false, true, { kind: "protected", key: "safesecret:teardownProtection", value: "true" }],
                ["pr-1", true, undefined, undefined],
                ["pr-2", true, undefined, undefined],
                ["pr-3", false, true, { kind: "protected", key: "app:teardownProtection", value: "true" }],
            ],
        );
        assert.match(
            c[0]!.why,
            /^protected: app:teardownProtection is true — a sweep never takes it; .*`pulumi-safe-secret teardown --stack prod`/,
        );
        assert.match(c[0]!.why, /`pulumi config set teardownProtection false --stack prod`/);
        assert.match(c[1]!.why, /`pulumi config set safesecret:teardownProtection false --stack org\/app\/staging`/);
        // Without the protection the same stacks go.
        const open = chooseStacks([{ name: "prod", lastUpdate: ago(1000), resourceCount: 2, config: plain }], by(["*"], 0, true));
        assert.equal(open[0]!.go, true);
    });

    it("fails closed: a value preview rejects, a secret it cannot judge, or configuration it could not read keeps the stack", () => {
        const one = (value: string | undefined, secret = false): StackConfigRead => ({
            ok: true,
            values: { "app:teardownProtection": { value, secret } },
        });
        const c = chooseStacks(
            [
                { name: "a", config: one("True") },
                { name: "b", config: one("yes") },
                { name: "c", config: one("1") },
                { name: "d", config: { ok: true, values: { "safesecret:teardownProtection": { value: "on" } } } },
                { name: "e", config: one("true", true) },
                { name: "f", config: one(undefined, true) },
                { name: "g", config: { ok: false, problem: "passphrase must be set with PULUMI_CONFIG_PASSPHRASE" } },
                { name: "h" },
            ],
            by(["*"], 0),
        );
        assert.deepEqual(
            c.map((x) => [x.stack, x.go, x.protected, x.protection]),
            [
                ["a", false, true, { kind: "invalid", key: "app:teardownProtection", value: "True" }],
                ["b", false, true, { kind: "invalid", key: "app:teardownProtection", value: "yes" }],
                ["c", false, true, { kind: "invalid", key: "app:teardownProtection", value: "1" }],
                ["d", false, true, { kind: "invalid", key: "safesecret:teardownProtection", value: "on" }],
                ["e", false, true, { kind: "protected", key: "app:teardownProtection", value: "[secret]" }],
                ["f", false, true, { kind: "invalid", key: "app:teardownProtection", value: "[secret]" }],
                ["g", false, true, { kind: "unreadable", problem: "passphrase must be set with PULUMI_CONFIG_PASSPHRASE" }],
                ["h", false, true, { kind: "unreadable", problem: "its configuration was not read" }],
            ],
        );
        assert.match(
            c[0]!.why,
            /^protected: app:teardownProtection is "True", which is not true or false \(preview rejects it too\), so it is taken as true/,
        );
        assert.match(c[6]!.why, /^could not read its configuration, so its teardown protection is unknown \(passphrase must be set/);
        // The same values the preview's validator rejects (validate.ts), and only those.
        for (const v of ["True", "yes", "1", "on", ""]) assert.ok(protectionProblem({ project: "app", teardownProtection: v }), v);
        for (const v of ["true", "false"]) assert.equal(protectionProblem({ project: "app", teardownProtection: v }), undefined, v);
        assert.equal(protectionOf(one("false"), "app"), undefined);
    });

    it("runs at most K at a time, and returns results in input order", async () => {
        let running = 0;
        let most = 0;
        const r = await inPool([5, 1, 4, 2, 3], 2, async (n) => {
            running++;
            most = Math.max(most, running);
            await new Promise((res) => setImmediate(res));
            running--;
            return n * 10;
        });
        assert.deepEqual(r, [50, 10, 40, 20, 30]);
        assert.equal(most, 2);
    });

    it("a provider's share of the quota lets out at most that many calls a second", async () => {
        let t = 0;
        const bucket = new TokenBucket(
            5,
            () => t,
            async (ms) => void (t += ms),
        );
        for (let i = 0; i < 25; i++) await bucket.take();
        // 5 at once (the bucket holds one second), then 5 a second: 20 more take 4 s.
        assert.ok(t >= 4000 && t < 4300, `25 calls at 5/s took ${t} ms of clock`);
    });
});

describe("in-use guard", () => {
    const now = Date.parse("2026-12-10T15:00:00Z");
    const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

    it("refuses a delete without recovery of a secret accessed within the bound, naming the date, the key and the fixes", () => {
        const r = inUseRefusal("app/db", day("2026-12-05"), { days: 7, source: "stack" }, now);
        assert.match(r ?? "", /AWS reports app\/db last accessed on 2026-12-05, within the last 7 days \(the stack's inUseGuardDays\)/);
        assert.match(r ?? "", /wait until 2026-12-12, keep a recovery window .*pulumi config set inUseGuardDays 0/);
    });

    it("allows it once the bound has passed, when never accessed, and when the guard is off", () => {
        assert.equal(inUseRefusal("a", day("2026-12-03"), { days: 7, source: "stack" }, now), undefined);
        assert.equal(inUseRefusal("a", undefined, { days: 7, source: "stack" }, now), undefined);
        assert.equal(inUseRefusal("a", day("2026-12-10"), { days: 0, source: "off" }, now), undefined);
    });
});

describe("undo --stack: the secrets of a state before its last destroy", () => {
    it("takes each managed secret as scheduled, with the replica regions its state recorded; lookups and others left out", () => {
        const secret = "pulumi-nodejs:dynamic/secretsmanager:Secret";
        const got = secretsOfDeployment([
            {
                urn: "urn:a",
                type: secret,
                id: "arn:aws:secretsmanager:us-east-1:1:secret:a",
                outputs: { name: "a", region: "us-east-1", replicas: [{ region: "eu-west-1" }] },
            },
            { urn: "urn:b", type: secret, id: "arn:aws:secretsmanager:us-east-1:1:secret:b", outputs: { name: "b" } },
            { urn: "urn:lookup", type: secret, id: "arn:x", external: true, outputs: { name: "x" } },
            { urn: "urn:stack", type: "pulumi:pulumi:Stack" },
        ]);
        assert.deepEqual(
            got.map((s) => [s.name, s.outcome, s.region, s.replicasRemoved]),
            [
                ["a", "scheduled", "us-east-1", ["eu-west-1"]],
                ["b", "scheduled", undefined, undefined],
            ],
        );
    });
});
