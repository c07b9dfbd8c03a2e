// The teardown command's pure parts: arguments and engine errors. Outcomes are tested on events the real delete
// code emits (tests/integration/teardown-events.test.ts).

import { strict as assert } from "assert";
import { parseTeardownArgs, UsageError } from "../../provider/teardown/args";
import { engineError } from "../../provider/teardown/run";

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
                noPreview: false,
                policyPacks: ["p"],
                policyPackConfigs: ["c.json"],
            },
        );
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
    });
});
