// Many secrets under AWS's control-plane quota, through the engine: the layer throttles above the quota as AWS
// does, and every create and delete must still land. The quota is scaled down (5/s) so that it bites at a size
// that fits CI; scripts/bench.sh runs 500 secrets at AWS's 50/s and at 5/s and prints the figures.

import { strict as assert } from "assert";
import { describeOrUndefined } from "../support/aws-fixtures";
import { aws } from "../support/harness";
import { collect, inlineStack, pulumi, Secret } from "../support/engine";

const N = Number(process.env.SCALE_TEST_SECRETS ?? 40);
const QUOTA = 5;

describe(`${N} secrets under a control-plane quota of ${QUOTA} calls/s`, function () {
    this.timeout(600_000);

    it("go up and are destroyed (half with a recovery window, half force-deleted) with every throttled call absorbed, none failed, none left", async () => {
        // One stack for both delete paths: the stack's window, and a resource-level forceDelete on every other secret.
        const force = (i: number) => i % 2 === 1;
        const names = Array.from({ length: N }, (_, i) => `scale/${force(i) ? "force" : "window"}/${i}`);
        const s = await inlineStack(async () => {
            for (const [i, name] of names.entries())
                new Secret(`s${i}`, { name, secretString: pulumi.secret(`v${i}`), ...(force(i) ? { forceDelete: true } : {}) });
        }, "scale");
        await s.stack.setConfig("recoveryWindowInDays", { value: "7" });
        aws().layer.controlPlaneRatePerSecond = QUOTA;

        const up = await s.stack.up(collect(s));
        assert.equal(up.summary.resourceChanges?.create, N + 1);
        assert.ok(aws().layer.throttledByQuota > 0, "the quota never bit: nothing was throttled");
        for (const n of names) assert.ok(await describeOrUndefined(n), `${n} was not created`);

        const throttledUp = aws().layer.throttledByQuota;
        const down = await s.stack.destroy(collect(s));
        assert.equal(down.summary.resourceChanges?.delete, N + 1);
        assert.ok(aws().layer.throttledByQuota > throttledUp, "the quota never bit during the destroy");
        for (const [i, n] of names.entries()) {
            const d = await describeOrUndefined(n);
            if (force(i)) assert.equal(d, undefined, `${n} is left`);
            else assert.ok(d?.DeletedDate, `${n} is not scheduled for deletion`);
        }
        const creates = aws().layer.calls.filter((c) => c.op === "CreateSecret");
        assert.equal(new Set(creates.filter((c) => c.status === 200).map((c) => c.body.Name)).size, N, "a secret was created twice");
    });
});
