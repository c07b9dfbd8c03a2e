// Upgrade through the engine: state written by each earlier release's packed package refreshes, updates and
// destroys with this release's.

import { strict as assert } from "assert";
import { CreateSecretCommand } from "@aws-sdk/client-secrets-manager";
import * as fs from "fs";
import * as path from "path";
import { daysUntilDeletion, describeOrUndefined, observer } from "../support/aws-fixtures";
import { cli, collect, env, installedPackage, newWorkDir, resourcesOf, ROOT, workspaceOptions, wrap } from "../support/engine";

// State written by each earlier release (tests/fixtures/v<release>: produced by that release's packed package against
// moto) must keep working: refresh, update without replacement, destroy under the stack's window.
const RELEASES = [
    { release: "0.1.0", provider: /RUNTIME_MODULE/, replicas: [] as string[] },
    { release: "0.2.0", provider: /^exports\.handler = \(\) => require\("pulumi-safe-secret\/runtime"\)\.v1;/, replicas: ["eu-west-1"] },
    { release: "0.3.0", provider: /^exports\.handler = \(\) => require\("pulumi-safe-secret\/runtime"\)\.v1;/, replicas: ["eu-west-1"] },
    { release: "0.4.0", provider: /^exports\.handler = \(\) => require\("pulumi-safe-secret\/runtime"\)\.v1;/, replicas: ["eu-west-1"] },
];

describe("upgrade from earlier releases", function () {
    this.timeout(240_000);

    for (const { release, provider, replicas } of RELEASES) {
        it(`state written by ${release} refreshes, updates and destroys with this release`, async () => {
            const fixture = path.join(ROOT, "tests", "fixtures", `v${release}`);
            const dir = newWorkDir(`upgrade-${release}`);
            for (const f of ["Pulumi.yaml", "Pulumi.prod.yaml", "index.ts"]) fs.copyFileSync(path.join(fixture, f), path.join(dir, f));
            // The secret that release created; state refers to it by ARN.
            const created = await observer().send(
                new CreateSecretCommand({
                    Name: "legacy/db-password",
                    SecretString: "legacy-value-0a1b2c",
                    Description: `written by pulumi-safe-secret ${release}`,
                    Tags: [{ Key: "release", Value: release }],
                    ...(replicas.length ? { AddReplicaRegions: replicas.map((Region) => ({ Region })) } : {}),
                }),
            );
            const state = fs
                .readFileSync(path.join(fixture, "state.json"), "utf8")
                .replace(/arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy\/db-password-[A-Za-z0-9]{6}/g, created.ARN!);
            fs.writeFileSync(path.join(dir, `state-${release}.json`), state);
            const legacyEnv = { PULUMI_CONFIG_PASSPHRASE: "legacy" };
            const { LocalWorkspace } = installedPackage().automation;
            const ws = await LocalWorkspace.create({ ...(await workspaceOptions({ ...env(dir), ...legacyEnv }, false)), workDir: dir });
            await ws.createStack("prod");
            const s = wrap(await installedPackage().automation.Stack.select("prod", ws), dir);
            await cli(s, ["stack", "import", "--file", path.join(dir, `state-${release}.json`), "--stack", "prod"], legacyEnv);
            const old = (await resourcesOf(s, legacyEnv)).find((r) => r.type === "pulumi-nodejs:dynamic/secretsmanager:Secret");
            assert.match(old.inputs.__provider, provider, `the fixture is not ${release}'s state`);

            await s.stack.refresh(collect(s));
            const up = await s.stack.up(collect(s));
            assert.equal(up.summary.resourceChanges?.replace ?? 0, 0);
            assert.equal(up.summary.resourceChanges?.create ?? 0, 0);
            await s.stack.destroy(collect(s));
            assert.equal(await daysUntilDeletion(created.ARN!), 7);
            for (const region of replicas)
                assert.equal(await describeOrUndefined("legacy/db-password", region), undefined, `the replica in ${region} was left`);
            for (const region of replicas) assert.match(s.printed(), new RegExp(`legacy/db-password: replicas removed from ${region}`));
        });
    }
});
