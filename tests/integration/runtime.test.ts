import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { v1 } from "../../provider/adapters/dynamic/runtime";
import { PROVIDER_TEXT, useProviderText } from "../../provider/adapters/dynamic/stub";

describe("the provider text stored in state", () => {
    it("is one line whose one require is an entry the package exports, captured nothing", () => {
        const required = [...PROVIDER_TEXT.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
        assert.deepEqual(required, ["pulumi-safe-secret/runtime"]);
        const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8"));
        assert.ok(pkg.exports["./runtime"], "the package no longer exports the entry old state requires");
        assert.equal(PROVIDER_TEXT.trim().split("\n").length, 1);
    });

    it("replaces whatever the SDK serialized, before the resource is registered", () => {
        const t = useProviderText(PROVIDER_TEXT)({ props: { __provider: "serialized closure", name: "n" }, opts: {} } as any);
        assert.deepEqual(t?.props, { __provider: PROVIDER_TEXT, name: "n" });
    });

    it("evaluates, as the engine's host does, to the runtime's provider", () => {
        const m: any = { exports: {} };
        new Function("exports", "require", "module", PROVIDER_TEXT)(
            m.exports,
            (id: string) => {
                assert.equal(id, "pulumi-safe-secret/runtime");
                return { v1 };
            },
            m,
        );
        assert.equal(m.exports.handler(), v1);
    });
});

describe("the runtime entry point", () => {
    it("reads the project's keys and aws:region from the configuration handed to configure", async () => {
        const config = new Map([
            ["proj:forceDelete", "true"],
            ["aws:region", "eu-west-1"],
        ]);
        await v1.configure({ config: { get: (k: string) => config.get(k), require: () => "" } });
        const r = await v1.check(undefined, { resourceName: "x", name: "x", stack: "organization/proj/dev" } as any);
        assert.deepEqual(r.failures, []);
        assert.equal(r.inputs!.region, "eu-west-1");
        assert.equal(r.inputs!.deletionPolicy!.mode, "force");
    });
});
