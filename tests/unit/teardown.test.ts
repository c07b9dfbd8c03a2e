// The teardown command's pure parts: arguments, each secret's outcome, the run's result and exit code.

import { strict as assert } from "assert";
import { parseTeardownArgs, UsageError } from "../../provider/teardown/args";
import { engineError } from "../../provider/teardown/run";
import { EXIT, outcomeLine, overallResult, parseProviderLine, reasonLeft, secretOutcomes } from "../../provider/teardown/outcome";

describe("teardown command: arguments", () => {
    it("parses a pipeline's invocation", () => {
        assert.deepEqual(parseTeardownArgs(["--stack", "pr-7", "--force-delete", "--remove-stack", "--policy-pack", "p", "--policy-pack-config", "c.json"]), {
            stack: "pr-7", cwd: ".", deletion: "force", removeStack: true, unlock: false, noPreview: false, policyPacks: ["p"], policyPackConfigs: ["c.json"],
        });
        assert.equal(parseTeardownArgs(["--stack", "s", "--recovery-window", "14"]).deletion, 14);
        assert.equal(parseTeardownArgs(["--stack", "s"]).deletion, undefined);
    });

    it("rejects what it cannot do safely, saying why", () => {
        const bad: [string[], RegExp][] = [
            [[], /--stack is required/],
            [["--stack"], /--stack needs a value/],
            [["--stack", "s", "--recovery-window", "31"], /accepts only a whole number of days from 7 to 30/],
            [["--stack", "s", "--recovery-window", "7.5"], /accepts only a whole number/],
            [["--stack", "s", "--recovery-window", "7", "--force-delete"], /give only one of/],
            [["--stack", "s", "--policy-pack-config", "c"], /needs a --policy-pack/],
            [["--stack", "s", "--forcedelete"], /unknown argument "--forcedelete"/],
            [["--stack", "s", "--no-preview", "--policy-pack", "p"], /--policy-pack runs in the preview, which --no-preview skips/],
        ];
        for (const [argv, message] of bad) assert.throws(() => parseTeardownArgs(argv), (e: Error) => e instanceof UsageError && message.test(e.message), argv.join(" "));
    });
});

describe("teardown command: engine errors", () => {
    it("gives the CLI's error line, and the way out of a lock", () => {
        const commandError = new Error("code: 255\n stdout: \n stderr: error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n\n err?: \n");
        assert.match(engineError(commandError, "pr-7"), /^stack pr-7 is locked: .* run the same command with --unlock$/);
        assert.equal(engineError(new Error("code: 255\n stdout: \n stderr: warning: x\nerror: failed to load checkpoint\n"), "s"), "failed to load checkpoint");
        assert.equal(engineError(new Error("\nsomething else\n"), "s"), "something else");
    });
});

describe("teardown command: outcomes", () => {
    const a = { urn: "urn:a", name: "app/a", region: "us-east-1" };
    const b = { urn: "urn:b", name: "app/b", region: "us-east-1" };
    const c = { urn: "urn:c", name: "app/c", region: "eu-west-1" };

    it("takes each deleted secret's outcome from the provider's own line", () => {
        const lines = [
            "[pulumi-safe-secret] app/a: scheduled for deletion on 2026-12-01T00:00:00.000Z — recovery window of 7 days (stack config); ...",
            "[pulumi-safe-secret] app/b: replicas removed from eu-west-1, ap-southeast-2",
            "[pulumi-safe-secret] app/b: force-deleted without recovery (stack config)",
            "[pulumi-safe-secret] app/c: already gone from eu-west-1; nothing to delete",
        ].map((l) => parseProviderLine(l)!);
        const messages = new Map<string, string[]>();
        for (const l of lines) messages.set(l.name, [...(messages.get(l.name) ?? []), l.message]);
        const out = secretOutcomes([a, b, c], [], messages, new Map());
        assert.deepEqual(out.map((o) => o.outcome), ["scheduled", "force-deleted", "already-gone"]);
        assert.deepEqual(out[1].replicasRemoved, ["eu-west-1", "ap-southeast-2"]);
        assert.equal(outcomeLine(out[1]), "✓ app/b (us-east-1): force-deleted — replicas removed from eu-west-1, ap-southeast-2; force-deleted without recovery (stack config)");
        assert.deepEqual(overallResult(out, undefined), { result: "done", exitCode: EXIT.DONE });
    });

    it("fails (re-run) when anything is left for another reason than policy; refuses only when policy is all that stopped it", () => {
        const refusal = "resource 'a' has a problem: p:teardownProtection is true, so secrets of this stack may not be deleted without recovery, ...";
        const refused = secretOutcomes([a, b], [a], new Map([["app/b", ["force-deleted without recovery (stack config)"]]]), new Map([["urn:a", refusal]]));
        assert.deepEqual(refused.map((o) => o.outcome), ["refused", "force-deleted"]);
        assert.deepEqual(overallResult(refused, "update failed"), { result: "refused", exitCode: EXIT.REFUSED });

        const failed = secretOutcomes([a, b], [a, b], new Map(), new Map([["urn:a", "AccessDeniedException: no"]]));
        assert.deepEqual(failed.map((o) => o.outcome), ["failed", "kept"]);
        assert.deepEqual(overallResult(failed, "update failed"), { result: "failed", exitCode: EXIT.FAILED });

        const mixed = secretOutcomes([a, b], [a, b], new Map(), new Map([["urn:a", refusal], ["urn:b", "ThrottlingException"]]));
        assert.deepEqual(overallResult(mixed, "update failed"), { result: "failed", exitCode: EXIT.FAILED });

        assert.deepEqual(overallResult([], "the backend is unreachable"), { result: "failed", exitCode: EXIT.FAILED }, "no secret left, but the destroy failed");

        assert.equal(reasonLeft(failed, "update failed"), "2 of 2 secrets not deleted (app/a, app/b); each line above says why");
        const stopped = secretOutcomes([a, b], [b], new Map([["app/a", ["force-deleted without recovery (stack config)"]]]), new Map());
        assert.equal(reasonLeft(stopped, "the engine was interrupted"), "1 of 2 secrets not deleted (app/b): the engine was interrupted");
        assert.equal(reasonLeft([], "the backend is unreachable"), "the backend is unreachable");
    });
});
