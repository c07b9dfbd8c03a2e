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

    for (const policy of ["recoveryWindowInDays", "forceDelete"] as const) {
        it(`go up and are destroyed (${policy}) with every throttled call absorbed, none failed, none left`, async () => {
            const names = Array.from({ length: N }, (_, i) => `scale/${policy}/${i}`);
            const s = await inlineStack(async () => {
                for (const [i, name] of names.entries()) new Secret(`s${i}`, { name, secretString: pulumi.secret(`v${i}`) });
            }, `scale${policy}`);
            await s.stack.setConfig(policy, { value: policy === "forceDelete" ? "true" : "7" });
            aws().layer.controlPlaneRatePerSecond = QUOTA;

            const up = await s.stack.up(collect(s));
            assert.equal(up.summary.resourceChanges?.create, N + 1);
            const throttledUp = aws().layer.throttledByQuota;
            assert.ok(throttledUp > 0, "the quota never bit: nothing was throttled");
            for (const n of names) assert.ok(await describeOrUndefined(n), `${n} was not created`);

            const down = await s.stack.destroy(collect(s));
            assert.equal(down.summary.resourceChanges?.delete, N + 1);
            for (const n of names) {
                const d = await describeOrUndefined(n);
                if (policy === "forceDelete") assert.equal(d, undefined, `${n} is left`);
                else assert.ok(d?.DeletedDate, `${n} is not scheduled for deletion`);
            }
            const creates = aws().layer.calls.filter((c) => c.op === "CreateSecret");
            assert.equal(new Set(creates.filter((c) => c.status === 200).map((c) => c.body.Name)).size, N, "a secret was created twice");
        });
    }
});
