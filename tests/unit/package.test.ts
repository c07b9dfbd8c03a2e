// What `npm pack` publishes, from a checkout as a release job has it: the tracked files only, no dist/ (the
// package's prepack script must build it), dependencies installed.

import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

describe("the packed package", function () {
    this.timeout(120_000);

    it("a clean checkout packs the built provider, the pack, LICENSE, README and the docs it links to, and nothing else", () => {
        const checkout = fs.mkdtempSync(path.join(os.tmpdir(), "pack-checkout-"));
        for (const f of execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
            .split("\n")
            .filter(Boolean)) {
            if (!fs.existsSync(path.join(ROOT, f))) continue;
            fs.mkdirSync(path.dirname(path.join(checkout, f)), { recursive: true });
            fs.copyFileSync(path.join(ROOT, f), path.join(checkout, f));
        }
        assert.equal(fs.existsSync(path.join(checkout, "dist")), false);
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(checkout, "node_modules"));
        const out = execFileSync("npm", ["pack", "--dry-run", "--json"], {
            cwd: checkout,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
        const files: string[] = JSON.parse(out)[0]
            .files.map((f: { path: string }) => f.path)
            .sort();
        for (const f of [
            "LICENSE",
            "README.md",
            "docs/commands.md",
            "docs/configuration.md",
            "package.json",
            "dist/index.js",
            "dist/index.d.ts",
            "dist/adapters/dynamic/runtime.js",
            "dist/commands/cli.js",
            "dist/policy-pack/policies.js",
            "policy-pack/index.js",
            "policy-pack/PulumiPolicy.yaml",
            "policy-pack/package.json",
            "dist/adapters/plugin/main.js",
            "plugin/pulumi-resource-safesecret",
        ]) {
            assert.ok(files.includes(f), `${f} is not in the package: ${files.join(", ")}`);
        }
        const stray = files.filter(
            (f) =>
                !/^(LICENSE|README\.md|package\.json|dist\/.+\.(js|d\.ts)|policy-pack\/.+|docs\/[a-z0-9-]+\.md|plugin\/pulumi-resource-safesecret)$/.test(
                    f,
                ),
        );
        assert.deepEqual(stray, [], "files that do not belong in the package (source maps, tests, sources)");
        fs.rmSync(checkout, { recursive: true, force: true });
    });

    it("declares what a user's project needs: engines, one @pulumi/pulumi (a peer), the policy SDK only for the pack", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        assert.ok(pkg.engines?.node, "no engines");
        assert.equal(pkg.dependencies["@pulumi/pulumi"], undefined);
        assert.equal(pkg.dependencies["@pulumi/policy"], undefined, "@pulumi/policy would bring its own @pulumi/pulumi to every user");
        assert.equal(pkg.peerDependenciesMeta["@pulumi/policy"].optional, true);
    });
});
