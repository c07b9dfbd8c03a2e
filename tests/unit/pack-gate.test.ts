// How the teardown reads `pulumi policy analyze --json` (the engine test runs the real command against the package's
// pack) and what it hands the pack in place of the engine's stack options.

import { strict as assert } from "assert";
import { judgementOf, packEnv } from "../../provider/commands/pack-gate";

// As CLI v3.259.0 prints them: one event per line, the rule's description, then the violation's own text.
const VIOLATION = JSON.stringify({
    sequence: 0,
    policyEvent: {
        resourceUrn: "urn:pulumi:prod::app::pulumi-nodejs:dynamic/secretsmanager:Secret::db",
        message: 'In protected stacks a destroy must keep secrets recoverable.\nSecret "db" would be deleted without recovery',
        policyName: "secrets-keep-recovery-window-in-protected-stacks",
        enforcementLevel: "mandatory",
    },
});
const ADVISORY = JSON.stringify({ sequence: 1, policyEvent: { message: "x\ny", policyName: "tags", enforcementLevel: "advisory" } });
const SUMMARY = JSON.stringify({ sequence: 2, summaryEvent: { result: "failed" } });

describe("the teardown's policy pack gate", () => {
    it("refuses on each mandatory violation, with its resource and its own text; advisories pass", () => {
        const j = judgementOf(1, [VIOLATION, ADVISORY, SUMMARY].join("\n"), "error: one or more mandatory policy violations were found\n");
        assert.deepEqual(j, {
            kind: "refused",
            refusals: [
                {
                    urn: "urn:pulumi:prod::app::pulumi-nodejs:dynamic/secretsmanager:Secret::db",
                    message: '[mandatory] secrets-keep-recovery-window-in-protected-stacks: Secret "db" would be deleted without recovery',
                },
            ],
        });
        assert.deepEqual(judgementOf(0, [ADVISORY, SUMMARY].join("\n"), ""), { kind: "passed" });
    });

    it("tells a CLI without `policy analyze` from a failed analysis", () => {
        assert.deepEqual(judgementOf(255, "", "error: unknown flag: --stack\n"), { kind: "unsupported" });
        assert.deepEqual(judgementOf(255, "", 'error: unknown command "analyze" for "pulumi policy"\n'), { kind: "unsupported" });
        assert.deepEqual(judgementOf(255, "", "warning: x\nerror: loading policy packs: no such file\n"), {
            kind: "failed",
            reason: "loading policy packs: no such file",
        });
        // A non-zero exit with no error line is still a failure, never a pass.
        assert.deepEqual(judgementOf(1, SUMMARY, ""), { kind: "failed", reason: "exit code 1" });
    });

    it("hands the pack the stack's configuration and identity as a preview's engine does", () => {
        const env = packEnv({
            config: { "app:forceDelete": "true", "aws:region": "us-east-1" },
            identity: { project: "app", stack: "prod", organization: "acme" },
        });
        assert.deepEqual(JSON.parse(env.PULUMI_CONFIG!), { "app:forceDelete": "true", "aws:region": "us-east-1" });
        for (const p of ["PULUMI_NODEJS_", "PULUMI_"]) {
            assert.equal(env[`${p}PROJECT`], "app");
            assert.equal(env[`${p}STACK`], "prod");
            assert.equal(env[`${p}ORGANIZATION`], "acme");
            assert.equal(env[`${p}DRY_RUN`], "true");
        }
        assert.equal(packEnv({ config: {}, identity: { project: "app", stack: "s" } }).PULUMI_NODEJS_ORGANIZATION, undefined);
    });
});
