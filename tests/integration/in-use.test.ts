// The in-use guard against the real delete code: AWS's LastAccessedDate (the layer records GetSecretValue, as AWS
// does at day resolution; moto keeps none) stops a delete without recovery of a secret still in use.

import { strict as assert } from "assert";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createSecret } from "../../provider/lifecycle/create";
import { deleteSecret } from "../../provider/lifecycle/delete";
import { DAY_MS, describeOrUndefined, inputs, testContext } from "../support/aws-fixtures";
import { aws } from "../support/harness";

const read = (id: string) => new SecretsManagerClient({ region: "us-east-1" }).send(new GetSecretValueCommand({ SecretId: id }));

describe("in-use guard", () => {
    it("refuses a force delete of a secret read within the bound, changing nothing; allows it once the bound has passed", async () => {
        const ctx = testContext({ forceDelete: "true", inUseGuardDays: "7" });
        const s = await createSecret(inputs("inuse/db", { replicas: [{ region: "eu-west-1" }] }), ctx);
        await read(s.id);
        aws().layer.calls.length = 0;
        const refused = await deleteSecret(s.id, s.outs, ctx);
        assert.equal(refused.outcome, "in-use");
        assert.match(
            refused.error,
            /^deleting secret inuse\/db: nothing was deleted: AWS reports inuse\/db last accessed on \d{4}-\d\d-\d\d, within the last 7 days \(the stack's inUseGuardDays\)/,
        );
        assert.equal(
            refused.lastAccessedDate?.slice(0, 10),
            refused.error.match(/last accessed on (\S+),/)?.[1],
            "the day the refusal names",
        );
        assert.deepEqual(refused.replicasRemoved, []);
        assert.deepEqual(aws().layer.ops(), ["DescribeSecret"], "the guard must act before replicas are removed or anything deleted");
        assert.ok(await describeOrUndefined("inuse/db", "eu-west-1"), "the replica was removed");

        aws().layer.ageAccesses(8 * DAY_MS);
        const r = await deleteSecret(s.id, s.outs, ctx);
        assert.equal(r.outcome, "force-deleted");
        assert.equal(await describeOrUndefined(s.id), undefined);
    });

    it("never stands in the way of a delete that keeps a window, and a Secret's own bound wins over the stack's", async () => {
        const windowed = testContext({ recoveryWindowInDays: "7", inUseGuardDays: "30" });
        const a = await createSecret(inputs("inuse/window"), windowed);
        await read(a.id);
        assert.equal((await deleteSecret(a.id, a.outs, windowed)).outcome, "scheduled");

        const ctx = testContext({ forceDelete: "true", inUseGuardDays: "30" });
        const b = await createSecret(inputs("inuse/own", { inUseGuardDays: 0 }), ctx);
        await read(b.id);
        assert.equal(
            (await deleteSecret(b.id, b.outs, ctx)).outcome,
            "force-deleted",
            "inUseGuardDays: 0 on the Secret turns the guard off",
        );
    });
});
