// The Secret constructor turns stack capture off for the SDK's per-output promises (secret.ts says why); it must
// hand Error.stackTraceLimit back as it found it, also when the SDK throws. Run in a child process: the SDK's mocks
// are process-wide, and a mocha worker runs other files after this one.

import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as path from "path";
import { PropertySpec, SECRET_PROPERTIES } from "../../provider/core/properties";

const ROOT = path.resolve(__dirname, "../..");

const SCRIPT = `
const pulumi = require("@pulumi/pulumi");
pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: () => ({}) }, "p", "s", false, "o");
const { Secret } = require("./provider/adapters/dynamic/secret");
Error.stackTraceLimit = 17;
new Secret("kept", { name: "app/kept" });
const afterConstruct = Error.stackTraceLimit;
let thrown;
try { new Secret("", {}); } catch (e) { thrown = e.message; }
console.log(JSON.stringify({ afterConstruct, afterThrow: Error.stackTraceLimit, thrown }));
`;

// What the constructor registers (the inputs the engine hands check), and what it refuses itself.
const ARGS_SCRIPT = `
const pulumi = require("@pulumi/pulumi");
const registered = {};
pulumi.runtime.setMocks({ newResource: (a) => ((registered[a.name] = a.inputs), { id: a.name, state: a.inputs }), call: () => ({}) }, "p", "s", false, "o");
const { Secret } = require("./provider/adapters/dynamic/secret");
let refused;
try { new Secret("reserved", { name: "app/reserved", owner: "someone-else" }); } catch (e) { refused = e.message; }
// The URN resolves once the resource is registered.
new Secret("typo", { name: "app/typo", forceDelet: true, generateSecretString: { passwordLength: 32 } }).urn.apply(() =>
    console.log(JSON.stringify({ typo: registered.typo, refused })),
);
`;

// What a program can read from a Secret and what it may not give, against the property table.
const TABLE_SCRIPT = `
const pulumi = require("@pulumi/pulumi");
pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: () => ({}) }, "p", "s", false, "o");
const { Secret } = require("./provider/adapters/dynamic/secret");
const { SECRET_PROPERTIES } = require("./provider/core/properties");
const s = new Secret("t", { name: "app/t", secretString: "v" });
const names = Object.keys(SECRET_PROPERTIES);
const outputs = names.filter((k) => pulumi.Output.isInstance(s[k]));
const refused = names.filter((k) => {
    try { new Secret("r-" + k, { [k]: "x" }); return false; } catch (e) { return /is set by the provider, not an input/.test(e.message); }
});
Promise.all(names.filter((k) => outputs.includes(k)).map((k) => pulumi.isSecret(s[k]).then((secret) => (secret ? k : undefined)))).then(
    (secret) => console.log(JSON.stringify({ outputs, refused, secret: secret.filter(Boolean) })),
);
`;

describe("the Secret constructor", () => {
    it("leaves Error.stackTraceLimit as it found it, also when the SDK refuses the resource", function () {
        this.timeout(30_000);
        const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", SCRIPT], {
            cwd: ROOT,
            encoding: "utf8",
        });
        const r = JSON.parse(out.trim().split("\n").pop()!);
        assert.equal(r.afterConstruct, 17);
        assert.match(r.thrown, /Missing resource name/);
        assert.equal(r.afterThrow, 17);
    });

    it("hands check every argument, also one a Secret does not take, and refuses one the provider sets itself", function () {
        this.timeout(30_000);
        const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", ARGS_SCRIPT], {
            cwd: ROOT,
            encoding: "utf8",
        });
        const r = JSON.parse(out.trim().split("\n").pop()!);
        assert.equal(r.typo.forceDelet, true);
        assert.deepEqual(r.typo.generateSecretString, { passwordLength: 32 });
        assert.equal(r.typo.name, "app/typo");
        assert.equal(r.refused, 'Secret "reserved": owner is set by the provider, not an input of a Secret — remove it');
    });

    it("declares every output of the property table, secret values marked, and refuses every name a program may not give", function () {
        this.timeout(30_000);
        const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", TABLE_SCRIPT], {
            cwd: ROOT,
            encoding: "utf8",
        });
        const r = JSON.parse(out.trim().split("\n").pop()!);
        const table = Object.entries(SECRET_PROPERTIES) as [string, PropertySpec][];
        const named = (test: (p: PropertySpec) => boolean) => table.filter(([, p]) => test(p)).map(([k]) => k);
        // The SDK makes an Output of every key registered, the provider's own too; the table's outputs must all be there.
        const missing = named((p) => p.io !== "input").filter((k) => !r.outputs.includes(k));
        assert.deepEqual(missing, []);
        assert.ok(r.outputs.includes("lastAccessedDate"));
        assert.deepEqual(
            r.refused,
            named((p) => p.from !== "program"),
        );
        assert.deepEqual(
            r.secret,
            named((p) => p.secret === true),
        );
    });
});
