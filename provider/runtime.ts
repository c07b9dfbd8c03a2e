// The implementation the serialized provider reaches at run time with `require("pulumi-safe-secret/runtime")`.
// State stores only that module name, so this file is a stable contract: `v1` must keep accepting what any
// earlier version stored. Nothing here is serialized; clients and configuration live in this process only.

import type * as dynamic from "@pulumi/pulumi/dynamic";
import { checkSecret } from "./check";
import { defaultContext, policyFor, ProviderContext } from "./context";
import { createSecret } from "./create";
import { deleteSecret } from "./delete";
import { readCurrentStackConfig } from "./destroy-config";
import { failure } from "./errors";
import { diffSecret } from "./diff";
import { readSecret } from "./read";
import { SecretInputs, SecretOutputs, StackSettings } from "./types";
import { updateSecret } from "./update";

function projectName(): string {
    return process.env.PULUMI_NODEJS_PROJECT ?? process.env.PULUMI_PROJECT ?? "project";
}

/** Reads the keys this provider honours from the stack configuration the engine hands to `configure`. */
export function stackSettingsFrom(config: { get(key: string): string | undefined }, project = projectName()): StackSettings {
    return {
        project,
        recoveryWindowInDays: config.get("recoveryWindowInDays"),
        forceDelete: config.get("forceDelete"),
        purgeTimeoutSeconds: config.get("purgeTimeoutSeconds"),
        awsRegion: config.get("aws:region"),
    };
}

let ctx: ProviderContext = defaultContext({ project: projectName() });

export const v1 = {
    async configure(req: dynamic.ConfigureRequest): Promise<void> {
        ctx = defaultContext(stackSettingsFrom(req.config));
    },
    async check(olds: any, news: any): Promise<dynamic.CheckResult> {
        return checkSecret(olds ?? {}, news, ctx);
    },
    async diff(_id: string, olds: SecretOutputs, news: SecretInputs): Promise<dynamic.DiffResult> {
        const d = diffSecret(olds, news);
        return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
    },
    async create(inputs: SecretInputs): Promise<dynamic.CreateResult> {
        return createSecret(inputs, ctx);
    },
    async read(id: string, props: SecretOutputs): Promise<dynamic.ReadResult> {
        return readSecret(id, props, ctx);
    },
    async update(id: string, olds: SecretOutputs, news: SecretInputs): Promise<dynamic.UpdateResult> {
        return { outs: await updateSecret(id, olds, news, ctx) };
    },
    async delete(id: string, props: SecretOutputs): Promise<void> {
        await deleteSecret(id, props, await destroyTimeContext(props));
    },
};

/**
 * The context for a delete: the stack configuration as it is now (see destroy-config.ts). If it cannot be read,
 * the configuration recorded at the last `pulumi up` is used for a recoverable delete, but never for a force
 * delete, which could otherwise follow a setting the user has since changed.
 */
async function destroyTimeContext(props: SecretOutputs): Promise<ProviderContext> {
    if (!props.stack) return ctx;
    const current = await readCurrentStackConfig(props.stack, ctx.stack.project);
    if (current.settings) return { ...ctx, stack: current.settings };
    const recorded = policyFor(props, ctx.stack);
    if (recorded.mode === "force" && recorded.source === "stack") {
        throw failure("deleting", props.name, `could not read the stack's current configuration (${current.problem}), and the configuration recorded at the last \`pulumi up\` says force delete`,
            "nothing was deleted; make the `pulumi` CLI reachable (or set PULUMI_SAFE_SECRET_CLI), or set the Secret's forceDelete input");
    }
    ctx.log(`${props.name}: could not read the stack's current configuration (${current.problem}); using the configuration recorded at the last \`pulumi up\``);
    return ctx;
}
