// The teardown's report is built only from the events the provider's delete emits (core/delete-result.ts). These
// events come from the real runtime's delete against moto, captured from its stdout as the engine would relay them.

import { strict as assert } from "assert";
import { DeleteSecretCommand } from "@aws-sdk/client-secrets-manager";
import { createSecret } from "../../provider/lifecycle/create";
import { DeleteEvent, EVENTS_ENV, parseEvent } from "../../provider/core/delete-result";
import { v1 } from "../../provider/adapters/dynamic/runtime";
import { EXIT, outcomeLine, overallResult, reasonLeft, SecretInState, secretOutcomes } from "../../provider/commands/outcome";
import { SecretOutputs } from "../../provider/core/types";
import { DAY_MS, describeOrUndefined, inputs, observer, testContext } from "../support/aws-fixtures";
import { aws } from "../support/harness";

/** Runs the provider's delete as the engine does, returning the events it wrote and its error, if any. */
async function providerDelete(
    id: string,
    outs: SecretOutputs,
    config: Record<string, string>,
): Promise<{ events: DeleteEvent[]; error?: Error }> {
    const lines: string[] = [];
    const write = process.stdout.write;
    process.env[EVENTS_ENV] = "1";
    process.env.PULUMI_NODEJS_PROJECT = "proj";
    await v1.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k]! } } as any);
    process.stdout.write = ((chunk: string) => (lines.push(...String(chunk).split("\n")), true)) as any;
    let error: Error | undefined;
    try {
        // State written without a recorded stack: the configuration given to configure decides (no CLI read).
        const { stack: _, ...props } = outs;
        await v1.delete(id, props as SecretOutputs);
    } catch (e) {
        error = e as Error;
    } finally {
        process.stdout.write = write;
        delete process.env[EVENTS_ENV];
        delete process.env.PULUMI_NODEJS_PROJECT;
    }
    return { events: lines.map(parseEvent).filter((e): e is DeleteEvent => e !== undefined), error };
}

const inState = (id: string, name: string, region = "us-east-1"): SecretInState => ({ urn: `urn:${region}:${name}`, id, name, region });

describe("teardown report from the delete's events", () => {
    it("one event per delete, with AWS's DeletionDate, the replicas removed and the configuration that decided", async () => {
        const kept = await createSecret(inputs("events/kept"), testContext());
        const gone = await createSecret(inputs("events/gone", { forceDelete: true, replicas: [{ region: "eu-west-1" }] }), testContext());
        const vanished = await createSecret(inputs("events/vanished"), testContext());
        await observer().send(new DeleteSecretCommand({ SecretId: vanished.id, ForceDeleteWithoutRecovery: true }));

        const events = new Map<string, DeleteEvent>();
        for (const s of [kept, gone, vanished]) {
            const r = await providerDelete(s.id, s.outs, { "proj:recoveryWindowInDays": "7" });
            assert.equal(r.error, undefined);
            assert.equal(r.events.length, 1);
            events.set(r.events[0]!.id, r.events[0]!);
        }
        const before = [inState(kept.id, "events/kept"), inState(gone.id, "events/gone"), inState(vanished.id, "events/vanished")];
        const out = secretOutcomes(before, [], events, new Map());
        assert.deepEqual(
            out.map((o) => o.outcome),
            ["scheduled", "force-deleted", "already-gone"],
        );
        const scheduledBy = (await describeOrUndefined(kept.id))!.DeletedDate!.toISOString();
        assert.equal(out[0]!.deletionDate, scheduledBy, "the date is the one AWS gave");
        assert.ok(Math.abs(Date.parse(scheduledBy) - (Date.now() + 7 * DAY_MS)) < 60_000);
        assert.equal(out[0]!.policy, "recovery window of 7 days (stack config)");
        assert.equal(out[0]!.configSource, "configured");
        assert.deepEqual(out[1]!.replicasRemoved, ["eu-west-1"]);
        assert.match(
            outcomeLine(out[1]!),
            /^✓ events\/gone \(us-east-1\): force-deleted — deleted without recovery — force delete without recovery \(resource input\)/,
        );
        assert.deepEqual(overallResult(out, undefined), { result: "done", exitCode: EXIT.DONE });
    });

    it("keeps two secrets of one name in two regions apart (keyed by id, not name)", async () => {
        const east = await createSecret(inputs("events/twin"), testContext());
        const west = await createSecret(inputs("events/twin", { region: "eu-west-1" }), testContext());
        const events = new Map<string, DeleteEvent>();
        const e1 = (await providerDelete(east.id, east.outs, { "proj:forceDelete": "true" })).events[0]!;
        events.set(e1.id, e1);
        aws().layer.faults.push({
            op: "DeleteSecret",
            kind: "error",
            times: 1,
            errorName: "AccessDeniedException",
            errorMessage: "not in eu-west-1",
        });
        const r = await providerDelete(west.id, west.outs, { "proj:forceDelete": "true" });
        assert.ok(r.error);
        events.set(r.events[0]!.id, r.events[0]!);
        const before = [inState(east.id, "events/twin"), inState(west.id, "events/twin", "eu-west-1")];
        const out = secretOutcomes(before, [before[1]!], events, new Map());
        assert.deepEqual(
            out.map((o) => [o.region, o.outcome]),
            [
                ["us-east-1", "force-deleted"],
                ["eu-west-1", "failed"],
            ],
        );
        assert.match(out[1]!.detail, /AccessDeniedException: not in eu-west-1/);
        assert.deepEqual(overallResult(out, "update failed"), { result: "failed", exitCode: EXIT.FAILED });
        assert.equal(reasonLeft(out, "update failed"), "1 of 2 secrets not deleted (events/twin); each line above says why");
    });

    it("a refusal by teardown protection is its own outcome, and nothing is deleted", async () => {
        const s = await createSecret(inputs("events/protected"), testContext());
        aws().layer.reset();
        const r = await providerDelete(s.id, s.outs, { "proj:forceDelete": "true", "proj:teardownProtection": "true" });
        assert.match(r.error!.message, /nothing was deleted: proj:teardownProtection is true/);
        assert.equal(aws().layer.count("DeleteSecret"), 0);
        const out = secretOutcomes(
            [inState(s.id, "events/protected")],
            [inState(s.id, "events/protected")],
            new Map([[s.id, r.events[0]!]]),
            new Map(),
        );
        assert.equal(out[0]!.outcome, "refused");
        assert.deepEqual(overallResult(out, "update failed"), { result: "refused", exitCode: EXIT.REFUSED });
    });

    it("without an event, a secret is never reported as deleted: kept while in state, unreported once gone", async () => {
        const a = inState("arn:a", "events/a");
        const b = inState("arn:b", "events/b");
        const out = secretOutcomes([a, b], [a], new Map(), new Map());
        assert.deepEqual(
            out.map((o) => o.outcome),
            ["kept", "unreported"],
        );
        assert.deepEqual(overallResult(out, undefined), { result: "failed", exitCode: EXIT.FAILED });
    });

    it("an event line is recognised only in its own format", () => {
        assert.equal(parseEvent("[pulumi-safe-secret] events/x: scheduled for deletion on 2026-12-08"), undefined);
        assert.equal(parseEvent('[pulumi-safe-secret:event] {"v":2,"kind":"delete","id":"x","outcome":"scheduled"}'), undefined);
        assert.equal(
            parseEvent('  [pulumi-safe-secret:event] {"v":1,"kind":"delete","id":"x","outcome":"scheduled","replicasRemoved":[]}\n')?.id,
            "x",
        );
    });
});
