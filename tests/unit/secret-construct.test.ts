// The Secret constructor turns stack capture off for the SDK's per-output promises (secret.ts says why); it must
// hand Error.stackTraceLimit back as it found it, also when the SDK throws. Run in a child process: the SDK's mocks
// are process-wide, and a mocha worker runs other files after this one.

import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

const SCRIPT = `
const pulumi = require("@pulumi/pulumi");
pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: () => ({}) }, "p", "s", false, "o");
const { Secret } = require("./provider/secret");
Error.stackTraceLimit = 17;
new Secret("kept", { name: "app/kept" });
const afterConstruct = Error.stackTraceLimit;
let thrown;
try { new Secret("", {}); } catch (e) { thrown = e.message; }
console.log(JSON.stringify({ afterConstruct, afterThrow: Error.stackTraceLimit, thrown }));
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
});
