// The Secret's lifecycle as both adapters run it — the dynamic provider (runtime.ts) and the provider plugin
// (plugin/provider.ts). Each adapter only says where the stack's settings come from and turns the engine's shapes into
// these; what a step does, what it logs and which events a delete reports are decided here once.

import { parseStackAws, regionOfArn } from "../core/aws-settings";
import { nameStatus } from "../aws/secrets";
import { checkSecret, CheckOutcome, NameLookup, withoutUndefined } from "./check";
import { contextFor, ProviderContext } from "./context";
import { createSecret } from "./create";
import { deleteSecret } from "./delete";
import { DeleteDone, DeleteEvent, deleteEvent, DeleteNotDoneError, EVENTS_ENV, formatEvent, isDone } from "../core/delete-result";
import { diffSecret, SecretDiff } from "../core/diff";
import { consoleLogger, ProviderOutput } from "./log";
import { DestroyDecision, inUseGuardFor, inUseReason } from "../core/policy";
import { readSecret } from "./read";
import { RawInputs, SecretInputs, SecretOutputs, StackSettings } from "../core/types";
import { updateSecret } from "./update";

/** The context for one resource: the stack's settings, the stack's aws:* settings, the resource's own profile and role. */
export function resourceContext(props: Partial<SecretInputs>, stack: StackSettings, out: ProviderOutput = consoleLogger): ProviderContext {
    return contextFor(stack, parseStackAws(stack.aws).aws, props, out);
}

export async function checkStep(olds: Partial<SecretInputs>, news: RawInputs, stack: StackSettings): Promise<CheckOutcome> {
    const lookup: NameLookup = (name, token, region) => nameStatus(resourceContext(news, stack).client(region), name, token);
    return checkSecret(olds, news, stack, lookup);
}

export function diffStep(olds: SecretOutputs, news: SecretInputs, stack: StackSettings, out: ProviderOutput = consoleLogger): SecretDiff {
    // Preview's one look at the state's outputs: where a refresh recorded a recent access, say now that the
    // destroy's delete without recovery will be refused (the delete asks AWS again when it runs).
    const guarded = news.deletionPolicy?.mode === "force" && olds.lastAccessedDate;
    if (guarded) {
        const why = inUseReason(olds.name, new Date(guarded), inUseGuardFor(news, stack), Date.now());
        if (why) out(`${olds.name}: a destroy would be refused — ${why} (as of the stack's last refresh)`);
    }
    return diffSecret(olds, news);
}

export async function createStep(
    inputs: SecretInputs,
    stack: StackSettings,
    out: ProviderOutput = consoleLogger,
): Promise<{ id: string; outs: SecretOutputs }> {
    const r = await createSecret(inputs, resourceContext(inputs, stack, out));
    return { id: r.id, outs: withoutUndefined(r.outs) };
}

/** Refresh, or import (no props): the region from the props, else the ARN, else the stack's, else the SDK's. */
export async function readStep(
    id: string,
    props: Partial<SecretOutputs>,
    stack: StackSettings,
    out: ProviderOutput = consoleLogger,
): Promise<{ id?: string; props?: SecretOutputs }> {
    const region = props.region ?? regionOfArn(id) ?? stack.aws?.region ?? process.env.AWS_REGION ?? "us-east-1";
    const r = await readSecret(id, props, resourceContext(props, stack, out), region);
    return r.id ? { id: r.id, props: withoutUndefined(r.props!) } : {};
}

export async function updateStep(
    id: string,
    olds: SecretOutputs,
    news: SecretInputs,
    stack: StackSettings,
    out: ProviderOutput = consoleLogger,
): Promise<SecretOutputs> {
    return withoutUndefined(await updateSecret(id, olds, news, resourceContext(news, stack, out)));
}

/**
 * Carries out a destroy decision and reports its result as an event (for the teardown command). A refused or failed
 * delete throws, as the engine's contract asks: the secret still exists and stays in state.
 */
export async function deleteStep(
    id: string,
    props: SecretOutputs,
    stack: StackSettings,
    decision: DestroyDecision,
    out: ProviderOutput = consoleLogger,
): Promise<DeleteDone> {
    const result = await deleteSecret(id, props, resourceContext(props, stack, out), decision);
    reportEvent(deleteEvent({ id, name: props.name ?? id, region: props.region }, decision, result), out);
    if (!isDone(result)) throw new DeleteNotDoneError(result);
    return result;
}

/** Events for the teardown command (core/delete-result.ts), beside the progress lines the engine shows. */
function reportEvent(e: DeleteEvent, out: ProviderOutput): void {
    if (process.env[EVENTS_ENV] === "1") out.raw(formatEvent(e));
}
