// The destroy-time configuration read, with a stand-in `pulumi` CLI (a shell script) that records how it was asked.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    exportHolds,
    findRunningCli,
    parseCliArgs,
    procInfo,
    psInfo,
    readCurrentStackConfig,
} from "../../provider/destroy-time/cli-config";

/**
 * A fake CLI answering `stack export --stack S` with `exports[S]` (no such stack otherwise), `stack --show-name` with
 * `selected`, `config --json` with `config` and `config get` with "true"; logs its arguments.
 */
function fakeCli(exports: Record<string, object>, config: object, selected = ""): { cli: string; calls: () => string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
    const log = path.join(dir, "calls.log");
    const cli = path.join(dir, "pulumi");
    for (const [stack, exported] of Object.entries(exports)) {
        fs.writeFileSync(path.join(dir, `export-${stack.replace(/\//g, "_")}.json`), JSON.stringify(exported));
    }
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
    fs.writeFileSync(
        cli,
        `#!/bin/sh
echo "$*" >> ${log}
case "$1 $2" in
  "stack export") cat "${dir}/export-$(echo "$4" | tr / _).json" 2>/dev/null || { echo "error: no stack named '$4' found" >&2; exit 255; } ;;
  "stack --show-name") echo "${selected}" ;;
  "config get"*) echo true ;;
  config*) cat ${dir}/config.json ;;
esac
`,
        { mode: 0o755 },
    );
    return { cli, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : []) };
}

const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
// As `pulumi config --json` prints them: secret values are not decrypted.
const config = { "app:forceDelete": { secret: true }, "app:dbPassword": { secret: true }, "aws:region": { value: "us-east-1" } };
const SECRET_TYPE = "pulumi-nodejs:dynamic/secretsmanager:Secret";
/** A state holding the secret, and one holding none (a new stack that took an old name). */
const HOLDS = { deployment: { resources: [{ id: ARN, type: SECRET_TYPE }] } };
const EMPTY = { deployment: { resources: [] } };

describe("reading the stack's configuration at destroy time", () => {
    it("parses the running CLI's --stack, -s, --stack=, --cwd and --config-file", () => {
        assert.deepEqual(parseCliArgs(["/usr/bin/pulumi", "destroy", "--yes", "-s", "org/app/prod", "--config-file", "ci.yaml"]), {
            command: "destroy",
            stack: "org/app/prod",
            configFile: "ci.yaml",
        });
        assert.deepEqual(parseCliArgs(["pulumi", "--cwd", "infra", "destroy", "--stack=dev"]), {
            command: "destroy",
            cwd: "infra",
            stack: "dev",
        });
        assert.equal(parseCliArgs(["node", "destroy"]), undefined);
        assert.equal(parseCliArgs(["pulumi", "config", "--json"]), undefined);
    });

    it("finds the pulumi command among the ancestors, past the plugin's shell script", () => {
        const tree: Record<number, { ppid: number; argv: string[] }> = {
            30: { ppid: 20, argv: ["/bin/sh", "pulumi-resource-pulumi-nodejs", "127.0.0.1:1"] },
            20: { ppid: 10, argv: ["pulumi", "destroy", "--stack", "prod"] },
        };
        assert.deepEqual(
            findRunningCli(30, (pid) => tree[pid]),
            { pid: 20, command: "destroy", stack: "prod" },
        );
        assert.equal(
            findRunningCli(30, () => undefined),
            undefined,
        );
    });

    it("finds the pulumi command among the ancestors, with ps and lsof where there is no /proc", () => {
        // This process's parent chain, read with ps: the mocha process itself is found as a node process, not pulumi.
        const viaPs = psInfo(process.pid);
        assert.ok(viaPs, "ps found nothing");
        assert.equal(viaPs!.ppid, process.ppid);
        assert.equal(viaPs!.cwd, process.cwd(), "lsof did not give the working directory");
        assert.deepEqual(procInfo(process.pid)!.cwd, process.cwd());
    });

    it("reads the stack the running CLI was told once its state holds the secret, decrypting only the deletion keys stored as secrets", async () => {
        const fake = fakeCli({ "org/app/prod": HOLDS }, config);
        const r = await readCurrentStackConfig({ recordedStack: "org/app/prod", project: "app", secretId: ARN }, fake.cli, {
            pid: 1001,
            command: "destroy",
            stack: "org/app/prod",
        });
        assert.ok(r.ok, !r.ok ? r.problem : "");
        assert.equal(r.stack.forceDelete, "true");
        assert.deepEqual(
            fake.calls(),
            [
                "stack export --stack org/app/prod --non-interactive",
                "config --json --stack org/app/prod --non-interactive",
                "config get app:forceDelete --stack org/app/prod --non-interactive",
            ],
            "app:dbPassword must never be decrypted",
        );
    });

    it("reads in the running CLI's own working directory (where its --cwd put it), not the provider's", async () => {
        const project = fs.mkdtempSync(path.join(os.tmpdir(), "cli-cwd-"));
        const fake = fakeCli({ "org/app/dev": HOLDS }, { "app:recoveryWindowInDays": { value: "9" } });
        const where = path.join(path.dirname(fake.cli), "where.log");
        fs.writeFileSync(fake.cli, fs.readFileSync(fake.cli, "utf8").replace("#!/bin/sh\n", `#!/bin/sh\npwd >> ${where}\n`));
        const r = await readCurrentStackConfig({ recordedStack: "org/app/dev", project: "app", secretId: ARN }, fake.cli, {
            pid: 1003,
            command: "destroy",
            cwd: "infra",
            processCwd: project,
        });
        assert.ok(r.ok, !r.ok ? r.problem : "");
        assert.equal(r.stack.recoveryWindowInDays, "9");
        assert.deepEqual([...new Set(fs.readFileSync(where, "utf8").trim().split("\n"))], [project]);
    });

    it("given no --stack, reads the recorded stack if its state holds the secret, else the selected one if its does; a name alone proves nothing", async () => {
        const recorded = fakeCli({ "org/app/prod": HOLDS }, config, "other");
        const r = await readCurrentStackConfig({ recordedStack: "org/app/prod", project: "app", secretId: ARN }, recorded.cli, {
            pid: 1004,
            command: "destroy",
        });
        assert.ok(r.ok);
        assert.match(recorded.calls()[1]!, /^config --json --stack org\/app\/prod /);

        // `pulumi stack rename acc acc-old`, a new `acc`, `pulumi stack select acc-old`, `pulumi destroy`.
        const renamed = fakeCli({ "org/app/acc": EMPTY, "acc-old": HOLDS }, config, "acc-old");
        const ok = await readCurrentStackConfig({ recordedStack: "org/app/acc", project: "app", secretId: ARN }, renamed.cli, {
            pid: 1005,
            command: "destroy",
        });
        assert.ok(ok.ok, !ok.ok ? ok.problem : "");
        assert.match(ok.note ?? "", /recorded as org\/app\/acc .*using the configuration of acc-old/);
        assert.deepEqual(renamed.calls().slice(0, 4), [
            "stack export --stack org/app/acc --non-interactive",
            "stack --show-name --non-interactive",
            "stack export --stack acc-old --non-interactive",
            "config --json --stack acc-old --non-interactive",
        ]);

        const neither = fakeCli({ "org/app/acc": EMPTY, other: EMPTY }, config, "other");
        const refused = await readCurrentStackConfig({ recordedStack: "org/app/acc", project: "app", secretId: ARN }, neither.cli, {
            pid: 1007,
            command: "destroy",
        });
        assert.equal(refused.ok, false);
        assert.match(
            !refused.ok ? refused.problem : "",
            /no stack whose state holds this secret was found \(tried org\/app\/acc and other;/,
        );
        assert.ok(!neither.calls().some((c) => c.startsWith("config")), "a stack that does not hold the secret had its configuration read");

        const told = fakeCli({ "prod-renamed": HOLDS }, config);
        const byFlag = await readCurrentStackConfig({ recordedStack: "org/app/prod", project: "app", secretId: ARN }, told.cli, {
            pid: 1008,
            command: "destroy",
            stack: "prod-renamed",
        });
        assert.ok(byFlag.ok);
        assert.match(byFlag.note ?? "", /recorded as org\/app\/prod .*using the configuration of prod-renamed/);
    });

    it("without a running CLI, reads the recorded stack only if its state holds a Secret with this id", async () => {
        const holds = fakeCli({ "org/app/prod": HOLDS }, config);
        const ok = await readCurrentStackConfig({ recordedStack: "org/app/prod", project: "app", secretId: ARN }, holds.cli, undefined);
        assert.ok(ok.ok);
        assert.equal(holds.calls()[0], "stack export --stack org/app/prod --non-interactive");

        // The id appears in the export, but not as a Secret resource's id: a substring match would have accepted it.
        const impostor = fakeCli(
            { "org/app/prod": { deployment: { resources: [{ id: "other", type: SECRET_TYPE, outputs: { note: ARN } }] } } },
            config,
        );
        const refused = await readCurrentStackConfig(
            { recordedStack: "org/app/prod", project: "app", secretId: ARN },
            impostor.cli,
            undefined,
        );
        assert.equal(refused.ok, false);
        assert.match(!refused.ok ? refused.problem : "", /no stack whose state holds this secret was found \(tried org\/app\/prod;/);
        assert.ok(!impostor.calls().some((c) => c.startsWith("config")), "its configuration must not be read");
        assert.equal(exportHolds("not json", ARN), false);
    });

    it("reports a CLI that cannot be run, naming it and the directory", async () => {
        const r = await readCurrentStackConfig({ recordedStack: "org/app/x", project: "app", secretId: ARN }, "/nonexistent/pulumi", {
            pid: 1002,
            command: "destroy",
            stack: "x",
        });
        assert.equal(r.ok, false);
        assert.match(
            !r.ok ? r.problem : "",
            /`\/nonexistent\/pulumi stack export --stack x --non-interactive` in \S+ failed: no `\/nonexistent\/pulumi` found/,
        );
        const gone = await readCurrentStackConfig({ recordedStack: "org/app/x", project: "app", secretId: ARN }, "pulumi", {
            pid: 1006,
            command: "destroy",
            stack: "x",
            processCwd: path.join(os.tmpdir(), "no-such-dir"),
        });
        assert.match(!gone.ok ? gone.problem : "", /the directory \S+no-such-dir does not exist/);
    });
});
