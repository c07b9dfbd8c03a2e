// After runs that create, update (including a failing update) and destroy secrets, with the engine's most verbose
// logging on, no secret value and no AWS credential appears anywhere: state files (with backups and history),
// engine logs, provider output, error messages.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { Secret } from "../support/engine";
import { aws, TEST_ACCESS_KEY, TEST_SECRET_KEY } from "../support/harness";
import { filesUnder, inlineStack } from "../support/engine";

describe("secrecy through the engine", function () {
    this.timeout(240_000);

    it("leaks no secret value or credential into state, verbose logs, provider output or errors", async () => {
        const v1 = "first-canary-9d1e2f3a";
        const v2 = "second-canary-4b5c6d7e";
        let value = v1;
        const s = await inlineStack(async () => {
            const sec = new Secret("leak-check", { name: "leak/check", secretString: value, description: "canary" });
            return { arn: sec.arn, secretString: sec.secretString };
        }, "secrecy-verbose");
        const captured: string[] = [];
        const opts = {
            onOutput: (o: string) => captured.push(o),
            onError: (o: string) => captured.push(o),
            logVerbosity: 9,
            logToStdErr: true,
            logFlow: true,
            color: "never" as const,
        };
        const errors: string[] = [];

        await s.stack.up(opts);
        value = v2;
        aws().layer.faults.push({
            op: "UpdateSecret",
            kind: "error",
            times: 1,
            errorName: "AccessDeniedException",
            errorMessage: "denied for the test",
        });
        // At normal verbosity, so the error is what a user reads (a verbose run's error carries the whole debug log).
        await s.stack.up({ onOutput: (o: string) => captured.push(o), onError: (o: string) => captured.push(o), color: "never" }).then(
            () => assert.fail("the update should have failed"),
            (e: Error) => errors.push(e.message),
        );
        assert.match(errors[0], /updating secret leak\/check: AccessDeniedException: denied for the test/);
        await s.stack.up(opts);
        const outputs = await s.stack.outputs();
        assert.equal(outputs.secretString.secret, true, "the value must be a secret output");
        await s.stack.destroy(opts);

        const logs = captured.join("");
        fs.writeFileSync(path.join(s.workDir, "verbose.log"), logs);
        assert.ok(logs.length > 100_000, `verbose logs are only ${logs.length} bytes`);
        const stateFiles = filesUnder(s.stateDir);
        assert.ok(
            stateFiles.some((f) => f.endsWith(".json")),
            "no state files found",
        );
        // Pulumi itself prints property values, secrets included, in its debug logs: the engine's RPC marshaling
        // lines at -v=9 and the Node SDK's "RegisterResource RPC finished" debug line. Those are counted for the
        // report; every other line, and everything this provider prints, must be clean.
        const pulumiOwnDebug = /Unmarshaling property for RPC|Marshaling property for RPC|RegisterResource RPC finished/;
        const logLines = logs.split("\n");
        const pulumiLines = logLines.filter((l) => pulumiOwnDebug.test(l));
        const otherLogs = logLines.filter((l) => !pulumiOwnDebug.test(l)).join("\n");
        const providerLines = logLines.filter((l) => l.includes("[pulumi-safe-secret]")).join("\n");
        assert.ok(providerLines.includes("leak/check: created"), "provider output not captured");
        const corpus: [string, string][] = [
            ["engine and provider output (-v=9 --logflow), apart from Pulumi's own property dumps", otherLogs],
            ["this provider's output", providerLines],
            ["error messages", errors.join("\n")],
            ...stateFiles.map((f) => [`state file ${path.relative(s.stateDir, f)}`, fs.readFileSync(f, "utf8")] as [string, string]),
        ];
        for (const needle of [v1, v2, TEST_SECRET_KEY, TEST_ACCESS_KEY]) {
            for (const [where, text] of corpus) {
                assert.equal(text.split(needle).length - 1, 0, `${needle} appears in ${where}`);
            }
            const inPulumiDebug = pulumiLines.filter((l) => l.includes(needle)).length;
            if (needle === TEST_SECRET_KEY || needle === TEST_ACCESS_KEY)
                assert.equal(inPulumiDebug, 0, "credentials in Pulumi's debug lines");
            else console.log(`      (Pulumi's own debug lines carrying the value ${needle.slice(0, 6)}…: ${inPulumiDebug})`);
        }
    });
});
