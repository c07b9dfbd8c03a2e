// What a destroy's delete decides by, learnt when the destroy runs: the one function both adapters call. Beside the
// configuration the adapter was configured with, a delete may be governed by a teardown's policy in the environment
// (teardown-run.ts); else the dynamic provider, configured with what the last `pulumi up` recorded, asks the CLI for
// the configuration as it is now (cli-config.ts), while the plugin is handed it by the engine.

import { CurrentConfigRead, DestroyDecision, destroyDecision } from "../core/policy";
import { SecretOutputs, StackSettings } from "../core/types";
import { readCurrentStackConfig } from "./cli-config";
import { governedConfig, runVerdict, withRunNote } from "./teardown-run";

/**
 * "recorded": the adapter's configuration is the one recorded at the last `pulumi up` (the dynamic provider, which a
 * plain destroy configures from state); "current": it is the configuration as it is now (the plugin's PULUMI_CONFIG).
 */
export type ConfiguredAs = "recorded" | "current";

export interface DestroyTimeDecision {
    decision: DestroyDecision;
    /** The settings the delete runs with: the keys in force, the aws:* settings as configured (never sent elsewhere). */
    stack: StackSettings;
}

export async function decideAtDestroy(
    id: string,
    props: SecretOutputs,
    configured: StackSettings,
    as: ConfiguredAs,
): Promise<DestroyTimeDecision> {
    const run = runVerdict(id, configured.project);
    let current: CurrentConfigRead | undefined;
    if (run.kind === "governed") current = governedConfig(run, configured.project);
    else if (as === "current") current = { ok: true, stack: configured };
    // State since 0.2.0 records its stack, whose configuration as it is now decides; 0.1.0's is taken as configured.
    else if (props.stack) current = await readCurrentStackConfig({ recordedStack: props.stack, project: configured.project, secretId: id });
    const decision = withRunNote(destroyDecision(props, configured, current), run);
    // The aws:* settings stay those configured: a later profile change must not send a recorded secret's delete elsewhere.
    const stack = current?.ok ? { ...configured, ...current.stack, aws: configured.aws } : configured;
    return { decision, stack };
}
