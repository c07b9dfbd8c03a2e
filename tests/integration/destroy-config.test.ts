// The destroy-time configuration read, with a stand-in `pulumi` CLI (a shell script) that records how it was asked.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exportHolds, findRunningCli, parseCliArgs, procInfo, psInfo, readCurrentStackConfig } from "../../provider/destroy-config";

/** A fake CLI answering `stack export` with `exported`, `config --json` with `config` and `config get` with "true"; logs its arguments. */
function fakeCli(exported: object, config: object): { cli: string; calls: () => string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
    const log = path.join(dir, "calls.log");
    const cli = path.join(dir, "pulumi");
    fs.writeFileSync(path.join(dir, "export.json"), JSON.stringify(exported));
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
    fs.writeFileSync(
        cli,
        `#!/bin/sh\necho "$*" >> ${log}\ncase "$1 $2" in "stack export"*) cat ${dir}/export.json ;; "config get"*) echo true ;; config*) cat ${dir}/config.json ;; esac\n`,
        { mode: 0o755 },
    );
    return { cli, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : []) };
}

const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
// As `pulumi config --json` prints them: secret values are not decrypted.
const config = { "app:forceDelete": { secret: true }, "app:dbPassword": { secret: true }, "aws:region": { value: "us-east-1" } };
const SECRET_TYPE = "pulumi-nodejs:dynamic/secretsmanager:Secret";

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

    it("reads the stack the running CLI was told, decrypting only the deletion keys stored as secrets", async () => {
        const fake = fakeCli({}, config);
        const r = await readCurrentStackConfig({ recordedStack: "org/app/prod", project: "app", secretId: ARN }, fake.cli, {
            pid: 1001,
            command: "destroy",
            stack: "org/app/prod",
        });
        assert.ok(r.ok, !r.ok ? r.problem : "");
        assert.equal(r.stack.forceDelete, "true");
        assert.deepEqual(
            fake.calls(),
            ["config --json --stack org/app/prod --non-interactive", "config get app:forceDelete --stack org/app/prod --non-interactive"],
            "app:dbPassword must never be decrypted",
        );
    });

    it("reads in the running CLI's own working directory (where its --cwd put it), not the provider's", async () => {
        const project = fs.mkdtempSync(path.join(os.tmpdir(), "cli-cwd-"));
        const fake = fakeCli({}, { "app:recoveryWindowInDays": { value: "9" } });
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
        assert.deepEqual(fs.readFileSync(where, "utf8").trim().split("\n"), [project]);
    });

    it("given no --stack, reads the recorded stack (not the one selected now); a rename is verified by the parsed export", async () => {
        const noFlag = fakeCli({}, config);
        const r = await readCurrentStackConfig({ recordedStack: "org/app/prod", project: "app", secretId: ARN }, noFlag.cli, {
            pid: 1004,
            command: "destroy",
        });
        assert.ok(r.ok);
        assert.match(noFlag.calls()[0]!, /^config --json --stack org\/app\/prod /);

        const renamed = fakeCli({ deployment: { resources: [{ id: ARN, type: SECRET_TYPE }] } }, config);
        const ok = await readCurrentStackConfig({ recordedStack: "org/app/prod", project: "app", secretId: ARN }, renamed.cli, {
            pid: 1005,
            command: "destroy",
            stack: "prod-renamed",
        });
        assert.ok(ok.ok);
        assert.match(ok.note ?? "", /recorded as org\/app\/prod .*using the configuration of prod-renamed/);
        assert.equal(renamed.calls()[0], "stack export --stack prod-renamed --non-interactive");
    });

    it("without a running CLI, reads the recorded stack only if its state holds a Secret with this id", async () => {
        const holds = fakeCli({ deployment: { resources: [{ id: ARN, type: SECRET_TYPE }] } }, config);
        const ok = await readCurrentStackConfig({ recordedStack: "org/app/prod", project: "app", secretId: ARN }, holds.cli, undefined);
        assert.ok(ok.ok);
        assert.equal(holds.calls()[0], "stack export --stack org/app/prod --non-interactive");

        // The id appears in the export, but not as a Secret resource's id: a substring match would have accepted it.
        const impostor = fakeCli({ deployment: { resources: [{ id: "other", type: SECRET_TYPE, outputs: { note: ARN } }] } }, config);
        const refused = await readCurrentStackConfig(
            { recordedStack: "org/app/prod", project: "app", secretId: ARN },
            impostor.cli,
            undefined,
        );
        assert.equal(refused.ok, false);
        assert.match(!refused.ok ? refused.problem : "", /the stack now named org\/app\/prod does not hold this secret/);
        assert.equal(impostor.calls().length, 1, "its configuration must not be read");
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
            /`\/nonexistent\/pulumi config --json --stack x --non-interactive` in \S+ failed: no `\/nonexistent\/pulumi` found/,
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
