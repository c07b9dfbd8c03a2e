import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { v1 } from "../../provider/runtime";
import { serializableProvider } from "../../provider/stub";
import { settingsFromConfigJson } from "../../provider/destroy-config";
import { TEST_ACCESS_KEY, TEST_SECRET_KEY } from "../support/harness";

describe("the serialized provider", () => {
    it("serializes to a small closure that holds only the runtime module's name", async () => {
        const provider = serializableProvider();
        const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
        assert.ok(sf.text.length < 4096, `serialized provider is ${sf.text.length} bytes`);
        assert.match(sf.text, /pulumi-safe-secret\/runtime/);
        assert.ok(!sf.text.includes(TEST_ACCESS_KEY) && !sf.text.includes(TEST_SECRET_KEY), "credentials in the closure");
        assert.ok(!/SecretsManagerClient|smithy/.test(sf.text), "SDK code captured in the closure");
    });
});

describe("the runtime entry point", () => {
    it("reads the project's keys and aws:region from the configuration handed to configure", async () => {
        const config = new Map([["proj:forceDelete", "true"], ["aws:region", "eu-west-1"]]);
        await v1.configure({ config: { get: (k: string) => config.get(k.includes(":") ? k : `proj:${k}`) } } as any);
        const r: any = await v1.check({}, { resourceName: "x", name: "x" });
        assert.deepEqual(r.failures, []);
        assert.equal(r.inputs.region, "eu-west-1");
        assert.equal(r.inputs.deletionPolicy.mode, "force");
    });

    it("reads destroy-time settings from `pulumi config --json` output", () => {
        const { settings, secretKeys } = settingsFromConfigJson({
            "app:forceDelete": { value: "true", secret: false },
            "app:recoveryWindowInDays": { value: "0" },
            "aws:region": { value: "us-west-2" },
            "app:other": { secret: true },
        }, "app");
        assert.deepEqual(settings, { project: "app", forceDelete: "true", recoveryWindowInDays: "0", purgeTimeoutSeconds: undefined, awsRegion: "us-west-2" });
        assert.deepEqual(secretKeys, []);
    });
});
