// Destroy-time teardown protection: a stack with teardownProtection=true never loses a secret unrecoverably, even
// when forceDelete is set after the last `pulumi up` (no policy hook runs on `pulumi destroy`; the provider's delete
// is where the rule holds).

import { strict as assert } from "assert";
import { describeOrUndefined } from "../support/aws-fixtures";
import { aws } from "../support/harness";
import { collect, inlineStack, programStack, pulumi, Secret, typeCheckedPrograms } from "../support/engine";

describe("teardown protection through the engine", function () {
    this.timeout(240_000);

    it("refuses a force delete at destroy time before any AWS call, and the secret survives", async () => {
        const s = await inlineStack(
            async () => {
                new Secret("guarded", { name: "protected/db", secretString: pulumi.secret("guarded-value") });
            },
            "protected",
            "production",
        );
        await s.stack.setConfig("teardownProtection", { value: "true" });
        await s.stack.up(collect(s));
        await s.stack.setConfig("forceDelete", { value: "true" });
        aws().layer.reset();
        await assert.rejects(
            s.stack.destroy(collect(s)),
            /protected:teardownProtection is true, so secrets of this stack may not be deleted without recovery/,
        );
        assert.equal(aws().layer.count("DeleteSecret"), 0);
        const d = await describeOrUndefined("protected/db");
        assert.ok(d && !d.DeletedDate, "the protected secret was deleted");

        // The way out the message names: keep a window (or lift the protection on purpose).
        await s.stack.removeConfig("forceDelete");
        await s.stack.destroy(collect(s));
        assert.ok((await describeOrUndefined("protected/db"))?.DeletedDate);
    });

    it("preview refuses a Secret with forceDelete in a protected stack", async () => {
        const s = await inlineStack(async () => {
            new Secret("careless", { name: "protected/careless", secretString: pulumi.secret("v"), forceDelete: true });
        }, "protectedpreview");
        await s.stack.setConfig("teardownProtection", { value: "true" });
        await assert.rejects(s.stack.preview(collect(s)), /may not be deleted without recovery.*remove the Secret's forceDelete/);
        assert.equal(await describeOrUndefined("protected/careless"), undefined);
    });
});

// A typed Secret argument is caught by TypeScript only in an object literal: spread in from shared settings, as here,
// a misspelt one compiles. Its Pulumi.yaml declares the stack keys, as a user's does (projectConfigSchema).
const SHARED_SETTINGS = `
import * as pulumi from "@pulumi/pulumi";
import { Secret } from "pulumi-safe-secret";
const ephemeral = new pulumi.Config().get("settings") === "none" ? {} : { forceDelet: true };
new Secret("db", { name: "typos/db", secretString: pulumi.secret("typo-value"), ...ephemeral });
`;

describe("a misspelling never switches a protection off silently", function () {
    this.timeout(240_000);
    typeCheckedPrograms();

    it("preview refuses a Secret's forceDelet and a stack's teardownProtecton, naming what was meant, with no AWS call", async () => {
        const s = await programStack("typos", SHARED_SETTINGS);
        aws().layer.reset();
        await assert.rejects(s.stack.preview(collect(s)), (e: Error) => {
            assert.match(
                e.message,
                /forceDelet \(true\) is not an input of a Secret — did you mean forceDelete\? Rename it to forceDelete/,
            );
            assert.doesNotMatch(e.message, /typo-value/);
            return true;
        });
        assert.deepEqual(aws().layer.ops(), []);

        await s.stack.setConfig("settings", { value: "none" });
        await s.stack.setConfig("teardownProtecton", { value: "true" });
        await assert.rejects(
            s.stack.preview(collect(s)),
            new RegExp(
                "typos:teardownProtecton is not a key this provider reads — did you mean typos:teardownProtection\\? As set it " +
                    "changes nothing: run `pulumi config rm teardownProtecton` and `pulumi config set teardownProtection true`",
            ),
        );
        assert.deepEqual(aws().layer.ops(), []);

        // The two commands the message names, and the preview goes through.
        await s.stack.removeConfig("teardownProtecton");
        await s.stack.setConfig("teardownProtection", { value: "true" });
        await s.stack.preview(collect(s));
        assert.equal(await describeOrUndefined("typos/db"), undefined);
    });
});
