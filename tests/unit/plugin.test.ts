// The provider plugin's pure parts: its settings from the engine's PULUMI_CONFIG, secret marking in and out, and the
// schema (engine behaviour is in tests/engine/plugin.test.ts).

import { strict as assert } from "assert";
import { pluginSchema } from "../../provider/adapters/plugin/schema";
import { secretKeys, unwrapSecrets, wrapSecrets } from "../../provider/adapters/plugin/secrets";
import { isDefaultProvider, readPluginSettings, STACK_KEYS, withProviderArgs } from "../../provider/core/stack-keys";
import { checkSecret } from "../../provider/lifecycle/check";
import { SECRET_INPUTS } from "../../provider/core/properties";
import { SafeSecretProvider } from "../../provider/adapters/plugin/provider";

const SECRET = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

describe("provider plugin", () => {
    it("reads its safesecret keys (bare names in PULUMI_CONFIG) and names them so in its messages", async () => {
        const stack = readPluginSettings({ forceDelete: "true", recoveryWindowInDays: "7", region: "eu-west-1", other: "x" });
        assert.equal(stack.project, "safesecret");
        assert.equal(stack.forceDelete, "true");
        assert.equal(stack.aws?.region, "eu-west-1");
        const r = await checkSecret({}, { name: "n", region: "us-east-1" }, stack);
        assert.match(
            r.failures.map((f) => f.reason).join("\n"),
            /safesecret:recoveryWindowInDays is "7" and safesecret:forceDelete is "true"/,
        );
        assert.match(r.failures.map((f) => f.reason).join("\n"), /pulumi config rm safesecret:forceDelete/);
        const bad = await checkSecret({}, { name: "n" }, readPluginSettings({ region: "mars-1" }));
        assert.match(bad.failures.map((f) => f.reason).join("\n"), /safesecret:region/);
    });

    it("an explicit provider's region and profile stand over the stack's; the default provider's arguments are not read", async () => {
        const stack = readPluginSettings({ region: "us-east-1", forceDelete: "true" });
        const eu = "urn:pulumi:dev::proj::pulumi:providers:safesecret::eu";
        const explicit = withProviderArgs(stack, eu, { region: "eu-west-1", profile: "ops", forceDelete: false, version: "1.2.3" });
        assert.deepEqual(explicit.aws, { ...stack.aws, region: "eu-west-1", profile: "ops" });
        assert.equal(explicit.forceDelete, "true", "a deletion key given to a provider was read");
        assert.deepEqual(withProviderArgs(stack, eu, {}), { ...stack, aws: stack.aws });
        // The default provider's arguments are the stack's keys as the last update recorded them.
        const recorded = { region: "ap-south-1", forceDelete: "false" };
        assert.equal(withProviderArgs(stack, "urn:pulumi:dev::proj::pulumi:providers:safesecret::default_0_4_0", recorded), stack);
        assert.equal(withProviderArgs(stack, undefined, recorded), stack);
        assert.equal(isDefaultProvider("urn:pulumi:dev::proj::pulumi:providers:safesecret::default"), true);
        assert.equal(isDefaultProvider(eu), false);
    });

    it("refuses a bad region of an explicit provider at check, naming the provider's region and the fix", async () => {
        const plugin = new SafeSecretProvider("1.2.3", { region: "us-east-1" });
        plugin.configure({ urn: "urn:pulumi:dev::proj::pulumi:providers:safesecret::eu", args: { region: SECRET("Europe") } });
        const r = await plugin.check("urn:pulumi:dev::proj::safesecret:index:Secret::db", {}, { name: "app/db" });
        assert.deepEqual(
            r.failures?.map((f) => f.reason),
            ['region of provider eu "Europe" is not an AWS region name — use one such as "us-east-1"'],
        );
        plugin.configure({ urn: "urn:pulumi:dev::proj::pulumi:providers:safesecret::eu", args: { region: "eu-west-1" } });
        const ok = await plugin.check("urn:pulumi:dev::proj::safesecret:index:Secret::db", {}, { name: "app/db" });
        assert.equal((ok.inputs as { region?: string }).region, "eu-west-1");
    });

    it("publishes region and profile, and no deletion key, as an explicit provider's inputs", () => {
        const provider = (pluginSchema("1.2.3") as any).provider;
        assert.deepEqual(Object.keys(provider.inputProperties).sort(), ["profile", "region"]);
    });

    it("unwraps secrets for the lifecycle and marks them again on the way out, the value always", () => {
        const given = { name: "n", secretString: SECRET("v"), description: SECRET("d"), tags: { a: "b" } };
        const plain = unwrapSecrets(given) as Record<string, unknown>;
        assert.deepEqual(plain, { name: "n", secretString: "v", description: "d", tags: { a: "b" } });
        const back = wrapSecrets({ ...plain, arn: "arn" }, secretKeys(given));
        assert.deepEqual(back, { name: "n", secretString: SECRET("v"), description: SECRET("d"), tags: { a: "b" }, arn: "arn" });
        assert.deepEqual(wrapSecrets({ secretString: "v" }, secretKeys({})), { secretString: SECRET("v") });
    });

    it("publishes a schema with the Secret, its secret value, and every stack key", () => {
        const schema = pluginSchema("1.2.3") as any;
        const secret = schema.resources["safesecret:index:Secret"];
        assert.equal(schema.name, "safesecret");
        assert.equal(secret.inputProperties.secretString.secret, true);
        assert.equal(secret.properties.arn.type, "string");
        for (const k of STACK_KEYS) assert.equal(schema.config.variables[k.key].type, k.type, k.key);
        for (const ref of JSON.stringify(schema).match(/#\/types\/[^"]+/g) ?? [])
            assert.ok(schema.types[ref.slice("#/types/".length)], `${ref} is not defined`);
    });

    it("names each language's generated SDK as a native package: pulumi_safesecret, a Go path under its own module", () => {
        const schema = pluginSchema("1.2.3") as any;
        const language = schema.language;
        assert.equal(language.python.packageName, "pulumi_safesecret");
        const go = language.go;
        assert.equal(go.modulePath, "github.com/pulumi-safe-secret/pulumi-safe-secret/sdk/go");
        assert.equal(go.importBasePath, `${go.modulePath}/safesecret`);
        // The Go host prints the import path it derives from the repository after `package add`: the same one.
        assert.equal(`${schema.repository.replace(/^https:\/\//, "")}/sdk/go`, go.modulePath);
        // Not pulumi-safe-secret: that is the package the plugin itself comes in, installed beside the SDK.
        assert.equal(language.nodejs.packageName, "pulumi-safe-secret-sdk");
        assert.equal(`${language.csharp.rootNamespace}.${language.csharp.namespaces.safesecret}`, "Pulumi.SafeSecret");
        // Go wants the major version in the module path from v2 on.
        assert.equal(
            (pluginSchema("2.0.0") as any).language.go.importBasePath,
            "github.com/pulumi-safe-secret/pulumi-safe-secret/sdk/go/v2/safesecret",
        );
    });

    it("refuses at check what the engine passes through untyped (a YAML program's forceDelet), naming forceDelete", async () => {
        const plugin = new SafeSecretProvider("1.2.3", { region: "us-east-1" });
        const urn = "urn:pulumi:dev::yamlproj::safesecret:index:Secret::db";
        const r = await plugin.check(urn, {}, { name: "app/db", secretString: SECRET("v"), forceDelet: true });
        assert.deepEqual(r.failures, [
            { property: "", reason: "forceDelet (true) is not an input of a Secret — did you mean forceDelete? Rename it to forceDelete" },
        ]);
        const ok = await plugin.check(urn, {}, { name: "app/db", secretString: SECRET("v"), forceDelete: true });
        assert.deepEqual(ok.failures, []);
    });

    it("publishes as inputs exactly the names check accepts from a program", () => {
        const secret = (pluginSchema("1.2.3") as any).resources["safesecret:index:Secret"];
        assert.deepEqual(Object.keys(secret.inputProperties).sort(), [...SECRET_INPUTS].sort());
    });
});
