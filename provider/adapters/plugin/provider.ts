// The Secret as a provider plugin (`safesecret:index:Secret`), for programs in any Pulumi language: the engine starts
// it (plugin/pulumi-resource-safesecret) and calls it over gRPC. The same lifecycle as the
// dynamic provider (lifecycle.ts); what differs is where the stack's settings come from: the engine hands a plugin the
// keys of its own namespace in PULUMI_CONFIG when it starts it, at every operation, so a destroy sees the
// configuration as it is when the destroy runs, with no program run and no CLI read.

import type * as provider from "@pulumi/pulumi/provider";
import { withoutUndefined } from "../../lifecycle/check";
import { checkStep, createStep, deleteStep, diffStep, readStep, updateStep } from "../../lifecycle/steps";

import { decideAtDestroy } from "../../destroy-time/decide";

import { readPluginSettings, withProviderArgs } from "../../core/stack-keys";

import { RawInputs, SecretInputs, SecretOutputs, StackSettings } from "../../core/types";

import { engineOutput, flushed } from "./engine-log";

import { pluginSchema } from "./schema";

import { secretKeys, unwrapSecrets, wrapSecrets } from "./secrets";

/** "urn:pulumi:<stack>::<project>::<type chain>::<name>" → the resource name. */
export function resourceNameOf(urn: string): string {
    return urn.split("::").pop() ?? "secret";
}

export class SafeSecretProvider implements provider.Provider {
    readonly version: string;
    readonly schema: string;
    /** The stack's keys (PULUMI_CONFIG); what the default provider's Secrets follow. */
    private readonly stackSettings: StackSettings;
    /** What this provider's Secrets follow: the stack's keys, under an explicit provider's own arguments. */
    private settings: StackSettings;

    constructor(version: string, config: Record<string, unknown>) {
        this.version = version;
        this.schema = JSON.stringify(pluginSchema(version));
        this.stackSettings = readPluginSettings(config);
        this.settings = this.stackSettings;
    }

    /**
     * The engine's Configure, before any other call about resources: which provider resource this process serves
     * (the engine starts one per provider resource) and its arguments, at a destroy those recorded in state.
     */
    configure(request: ConfigureRequest): void {
        this.settings = withProviderArgs(this.stackSettings, request.urn, unwrapSecrets(request.args) as Record<string, unknown>);
    }

    async check(urn: string, olds: unknown, news: unknown): Promise<provider.CheckResult> {
        const raw = unwrapSecrets(news) as RawInputs;
        // The owner key (ownership.ts) is the URN the resource first had: an alias rename keeps the recorded one.
        const checked = await checkStep(
            unwrapSecrets(olds ?? {}) as Partial<SecretInputs>,
            { ...raw, resourceName: resourceNameOf(urn), owner: urn },
            this.settings,
        );
        return { inputs: wrapSecrets(checked.inputs, secretKeys(news)), failures: checked.failures };
    }

    async diff(_id: string, urn: string, olds: unknown, news: unknown): Promise<provider.DiffResult> {
        const diff = diffStep(unwrapSecrets(olds) as SecretOutputs, unwrapSecrets(news) as SecretInputs, this.settings, engineOutput(urn));
        await flushed();
        return { changes: diff.changes, replaces: diff.replaces, deleteBeforeReplace: diff.deleteBeforeReplace };
    }

    async create(urn: string, inputs: unknown): Promise<provider.CreateResult> {
        const created = await afterLinesFlushed(createStep(unwrapSecrets(inputs) as SecretInputs, this.settings, engineOutput(urn)));
        return { id: created.id, outs: wrapSecrets(created.outs, secretKeys(inputs)) };
    }

    async read(id: string, urn: string, props?: unknown): Promise<provider.ReadResult> {
        const recorded = unwrapSecrets(props ?? {}) as Partial<SecretOutputs>;
        const found = await afterLinesFlushed(readStep(id, recorded, this.settings, engineOutput(urn)));
        if (!found.id || !found.props) return {};
        const read = { id: found.id, props: wrapSecrets(found.props, secretKeys(props)) };
        if (recorded.arn !== undefined) return read;
        // An import (`pulumi import`, or the import option) reads with no state: the inputs that describe the secret as
        // AWS holds it are what the engine compares the program's with and what it writes into generated code; the
        // outputs carry what check adds to those inputs (the deletion policy, the owner), or the first preview after
        // the import would propose an update adding them.
        const inputs = importedInputs(found.props);
        const checked = await this.check(urn, {}, inputs);
        const outputs = checked.failures?.length
            ? read.props
            : { ...read.props, ...providerFields(unwrapSecrets(checked.inputs) as SecretInputs) };
        return { ...read, props: outputs, inputs };
    }

    async update(id: string, urn: string, olds: unknown, news: unknown): Promise<provider.UpdateResult> {
        const outs = updateStep(
            id,
            unwrapSecrets(olds) as SecretOutputs,
            unwrapSecrets(news) as SecretInputs,
            this.settings,
            engineOutput(urn),
        );
        return { outs: wrapSecrets(await afterLinesFlushed(outs), secretKeys(olds, news)) };
    }

    async delete(id: string, urn: string, props: unknown): Promise<void> {
        const recorded = unwrapSecrets(props) as SecretOutputs;
        // The engine hands a plugin the configuration as it is now; a teardown's destroy carries its policy beside it.
        const { decision, stack } = await decideAtDestroy(id, recorded, this.settings, "current");
        await afterLinesFlushed(deleteStep(id, recorded, stack, decision, engineOutput(urn)));
    }
}

/** A step's result or error, once the lines it logged have reached the engine. */
async function afterLinesFlushed<T>(step: Promise<T>): Promise<T> {
    try {
        return await step;
    } finally {
        await flushed();
    }
}

/** What the engine sends Configure that this provider reads. */
export interface ConfigureRequest {
    /** The provider resource's URN (absent from engines older than 3.x's provider identity). */
    urn?: string | undefined;
    /** The provider resource's inputs. */
    args: unknown;
}

/** The fields check adds to a program's inputs, which a Secret's outputs carry too. */
function providerFields(checked: SecretInputs): Partial<SecretOutputs> {
    const { deletionPolicy, autonamed, resourceName, owner } = checked;
    return withoutUndefined({ deletionPolicy, autonamed, resourceName, owner });
}

function importedInputs(o: SecretOutputs): Record<string, unknown> {
    const inputs: Record<string, unknown> = { name: o.name, region: o.region };
    for (const k of ["description", "kmsKeyId", "tags", "replicas"] as const) if (o[k] !== undefined) inputs[k] = o[k];
    return inputs;
}
