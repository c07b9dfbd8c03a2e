// The folders of provider/ are layers (docs/architecture.md draws them): each may import only from the layers this
// table allows, so a reader knows from a file's folder what it can reach. An import against the table fails here.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";

const PROVIDER = path.resolve(__dirname, "../../provider");

/** Each layer and the layers it may import from (itself always). */
export const LAYERS: Record<string, readonly string[]> = {
    core: [],
    aws: ["core"],
    lifecycle: ["core", "aws"],
    "destroy-time": ["core"],
    "adapters/dynamic": ["core", "lifecycle", "destroy-time"],
    "adapters/plugin": ["core", "lifecycle", "destroy-time"],
    commands: ["core", "aws", "destroy-time"],
    "policy-pack": ["core"],
    // provider/index.ts, the package's entry: what a program imports.
    "": ["adapters/dynamic", "core"],
};

/** The layer of a file below provider/ (its folder, or the two-level folder for adapters). */
export function layerOf(relative: string): string {
    const parts = relative.split("/");
    if (parts.length === 1) return "";
    return parts[0] === "adapters" ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? sources(p) : e.name.endsWith(".ts") ? [p] : [];
    });
}

/** Every relative import of a source file, resolved to a path below provider/. */
function importsOf(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    const specs = [...text.matchAll(/(?:from|import|require)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]!);
    return specs.map((s) => path.relative(PROVIDER, path.resolve(path.dirname(file), s)));
}

/** "from → to" for each import against the table. */
export function violations(): string[] {
    return sources(PROVIDER).flatMap((file) => {
        const from = path.relative(PROVIDER, file);
        const layer = layerOf(from);
        const allowed = new Set([layer, ...(LAYERS[layer] ?? [])]);
        if (!(layer in LAYERS)) return [`${from}: in no layer of the table`];
        return (
            importsOf(file)
                // The package's own files (package.json) are no layer's.
                .filter((to) => !to.startsWith("..") && !allowed.has(layerOf(`${to}.ts`)))
                .map((to) => `${from} (${layer || "entry"}) imports ${to} (${layerOf(`${to}.ts`) || "entry"})`)
        );
    });
}

describe("layers", () => {
    it("every import of provider/ keeps to the layer table", () => {
        assert.deepEqual(violations(), []);
    });

    it("the check sees an import against the table", () => {
        assert.equal(layerOf("core/policy.ts"), "core");
        assert.equal(layerOf("adapters/plugin/provider.ts"), "adapters/plugin");
        assert.equal(layerOf("index.ts"), "");
        // core may import nothing outside core: lifecycle → core passes, core → lifecycle would not.
        assert.ok(!["core", ...LAYERS.core!].includes(layerOf("lifecycle/delete.ts")));
        assert.ok(["lifecycle", ...LAYERS.lifecycle!].includes(layerOf("core/policy.ts")));
    });
});
