// The implementation the serialized provider reaches at run time with `require("pulumi-safe-secret/runtime")`.
// State stores only that module name, so this file is a stable contract: `v1` must keep accepting what any
// earlier version stored. Nothing here is serialized; clients and configuration live in this process only.

import type * as dynamic from "@pulumi/pulumi/dynamic";
import { checkSecret } from "./check";
import { defaultContext, ProviderContext } from "./context";
import { createSecret } from "./create";
import { deleteSecret } from "./delete";
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
        await deleteSecret(id, props, ctx);
    },
};
