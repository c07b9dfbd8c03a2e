// Destroy-time teardown protection: a stack with teardownProtection=true never loses a secret unrecoverably, even
// when forceDelete is set after the last `pulumi up` (no policy hook runs on `pulumi destroy`; the provider's delete
// is where the rule holds).

import { strict as assert } from "assert";
import { describeOrUndefined } from "../support/aws-fixtures";
import { aws } from "../support/harness";
import { collect, inlineStack, pulumi, Secret } from "../support/engine";

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
