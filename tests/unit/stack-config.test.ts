import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { configKeysOf, readStackSettings, STACK_KEYS } from "../../provider/core/stack-keys";
import { PROJECT_FILES, renderConfigBlock, ROOT } from "../../scripts/sync-config-schema";

describe("the table of stack keys", () => {
    for (const f of PROJECT_FILES) {
        it(`is what ${f} declares (run scripts/sync-config-schema.ts after changing the table)`, () => {
            const text = fs.readFileSync(path.join(ROOT, f), "utf8");
            assert.ok(text.endsWith(renderConfigBlock()), `${f} does not end with the generated config block`);
        });
    }

    it("is read with the project's namespace, and the @pulumi/aws keys under aws:", () => {
        const config: Record<string, string> = {
            "app:recoveryWindowInDays": "7",
            "app:forceDelete": "false",
            "app:purgeTimeoutSeconds": "60",
            "aws:region": "eu-west-1",
            "aws:profile": "prod",
            "aws:endpoints": '[{"secretsmanager":"http://x"}]',
            "other:forceDelete": "true",
        };
        assert.deepEqual(
            readStackSettings((k) => config[k], "app"),
            {
                project: "app",
                recoveryWindowInDays: "7",
                forceDelete: "false",
                purgeTimeoutSeconds: "60",
                teardownProtection: undefined,
                inUseGuardDays: undefined,
                aws: { region: "eu-west-1", profile: "prod", assumeRoles: undefined, endpoints: '[{"secretsmanager":"http://x"}]' },
            },
        );
        assert.deepEqual(
            STACK_KEYS.map((k) => k.key),
            ["recoveryWindowInDays", "forceDelete", "purgeTimeoutSeconds", "teardownProtection", "inUseGuardDays"],
        );
    });

    it("reads @pulumi/aws v6's single aws:assumeRole as a list of one", () => {
        const config: Record<string, string> = { "aws:assumeRole": '{"roleArn":"arn:aws:iam::123456789012:role/x"}' };
        assert.equal(readStackSettings((k) => config[k], "app").aws?.assumeRoles, '[{"roleArn":"arn:aws:iam::123456789012:role/x"}]');
    });

    it("lists every key of the configure request of the installed SDK's dynamic provider (its private rawConfig)", () => {
        // What the SDK's dynamic-provider server hands `configure`: the engine's whole stack configuration.
        const { Config } = require("@pulumi/pulumi/cmd/dynamic-provider/config");
        const config = new Config({ "app:teardownProtecton": "true", "app:dbName": "x", "aws:region": "us-east-1" }, "app");
        assert.deepEqual(configKeysOf(config), ["app:teardownProtecton", "app:dbName", "aws:region"]);
        assert.equal(configKeysOf({ get: () => undefined }), undefined);
    });

    it("keeps the namespace's other keys to look for a misspelling in, with a value only where it cannot be a secret", () => {
        const config: Record<string, string> = {
            "app:forceDelete": "true",
            "app:teardownProtecton": "true",
            "app:dbPassword": "hunter2",
            "aws:region": "eu-west-1",
            "other:forceDelet": "true",
        };
        const stack = readStackSettings((k) => config[k], "app", Object.keys(config));
        assert.deepEqual(stack.unreadKeys, { teardownProtecton: "true", dbPassword: undefined });
    });
});
