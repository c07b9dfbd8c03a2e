// The destroy-time configuration read, with a stand-in `pulumi` CLI (a shell script) that records how it was asked.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findRunningCli, parseCliArgs, readCurrentStackConfig } from "../../provider/destroy-config";

/** A fake CLI answering `stack export` with `exported` and `config` with `config`; logs its arguments. */
function fakeCli(exported: object, config: object): { cli: string; calls: () => string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
    const log = path.join(dir, "calls.log");
    const cli = path.join(dir, "pulumi");
    fs.writeFileSync(path.join(dir, "export.json"), JSON.stringify(exported));
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
    fs.writeFileSync(cli, `#!/bin/sh\necho "$*" >> ${log}\ncase "$1" in stack) cat ${dir}/export.json ;; config) cat ${dir}/config.json ;; esac\n`, { mode: 0o755 });
    return { cli, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : []) };
}

const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
const config = { "app:forceDelete": { value: "true", secret: true }, "aws:region": { value: "us-east-1" } };

describe("reading the stack's configuration at destroy time", () => {
    it("parses the running CLI's --stack, -s, --stack=, --cwd and --config-file", () => {
        assert.deepEqual(parseCliArgs(["/usr/bin/pulumi", "destroy", "--yes", "-s", "org/app/prod", "--config-file", "ci.yaml"]),
            { command: "destroy", stack: "org/app/prod", configFile: "ci.yaml" });
        assert.deepEqual(parseCliArgs(["pulumi", "--cwd", "infra", "destroy", "--stack=dev"]), { command: "destroy", cwd: "infra", stack: "dev" });
        assert.equal(parseCliArgs(["node", "destroy"]), undefined);
        assert.equal(parseCliArgs(["pulumi", "config", "--json"]), undefined);
    });

    it("finds the pulumi command among the ancestors, past the plugin's shell script", () => {
        const tree: Record<number, { ppid: number; argv: string[] }> = {
            30: { ppid: 20, argv: ["/bin/sh", "pulumi-resource-pulumi-nodejs", "127.0.0.1:1"] },
            20: { ppid: 10, argv: ["pulumi", "destroy", "--stack", "prod"] },
        };
        assert.deepEqual(findRunningCli(30, (pid) => tree[pid]), { pid: 20, command: "destroy", stack: "prod" });
        assert.equal(findRunningCli(30, () => undefined), undefined);
    });

    it("asks the running CLI's stack, decrypting secret keys, and notes a rename", async () => {
        const fake = fakeCli({}, { ...config, "app:forceDelete": { value: "true", secret: true } });
        const r = await readCurrentStackConfig({ recordedStack: "org/app/prod", project: "app", secretId: ARN }, fake.cli,
            { pid: 1001, command: "destroy", stack: "prod-renamed" });
        assert.ok(r.ok);
        assert.equal(r.stack.forceDelete, "true");
        assert.match(r.note ?? "", /recorded as org\/app\/prod .*using the configuration of prod-renamed/);
        assert.deepEqual(fake.calls(), ["config --json --show-secrets --non-interactive --stack prod-renamed"]);
    });

    it("without a running CLI, reads the recorded stack only if it holds this secret", async () => {
        const holds = fakeCli({ deployment: { resources: [{ id: ARN }] } }, config);
        const ok = await readCurrentStackConfig({ recordedStack: "org/app/prod", project: "app", secretId: ARN }, holds.cli, undefined);
        assert.ok(ok.ok);
        assert.deepEqual(holds.calls(), ["stack export --stack org/app/prod --non-interactive", "config --json --show-secrets --non-interactive --stack org/app/prod"]);

        const impostor = fakeCli({ deployment: { resources: [{ id: "arn:aws:secretsmanager:us-east-1:123456789012:secret:other-XyZ123" }] } }, config);
        const refused = await readCurrentStackConfig({ recordedStack: "org/app/prod", project: "app", secretId: ARN }, impostor.cli, undefined);
        assert.equal(refused.ok, false);
        assert.match(!refused.ok ? refused.problem : "", /the stack now named org\/app\/prod does not hold this secret/);
        assert.equal(impostor.calls().length, 1, "its configuration must not be read");
    });

    it("reports a CLI that fails, without printing --show-secrets output", async () => {
        const r = await readCurrentStackConfig({ recordedStack: "org/app/x", project: "app", secretId: ARN }, "/nonexistent/pulumi",
            { pid: 1002, command: "destroy", stack: "x" });
        assert.equal(r.ok, false);
        assert.match(!r.ok ? r.problem : "", /`\/nonexistent\/pulumi config --json --non-interactive --stack x` failed/);
    });
});
