// What every lifecycle step receives: the stack configuration in force, a logger, a client factory and clocks.
// Tests swap the clocks and client; the engine path uses the defaults.

import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { secretsManager } from "./aws/client";
import { consoleLogger, Logger } from "./log";
import { DeletionPolicy, resolveDeletionPolicy, validateSettings } from "./policy";
import { DeletionPolicyOutput, StackSettings } from "./types";
import { parsePurgeTimeoutSeconds, PURGE_TIMEOUT_DEFAULT_SECONDS } from "./validate";
import { describePolicy } from "./policy";

export interface ProviderContext {
    stack: StackSettings;
    log: Logger;
    client: (region: string) => SecretsManagerClient;
    sleep?: (ms: number) => Promise<void>;
    now?: () => number;
    random?: () => number;
    /** First poll delay while waiting for a name purge; the default suits AWS's usual seconds-long purge. */
    pollMinDelayMs?: number;
    pollMaxDelayMs?: number;
}

export function defaultContext(stack: StackSettings): ProviderContext {
    return { stack, log: consoleLogger, client: secretsManager };
}

export function purgeTimeoutMs(ctx: ProviderContext): number {
    return (parsePurgeTimeoutSeconds(ctx.stack.purgeTimeoutSeconds) ?? PURGE_TIMEOUT_DEFAULT_SECONDS) * 1000;
}

/**
 * The policy for a resource, from its own inputs and the stack configuration. Invalid settings throw:
 * a bad value must stop a destroy, never fall through to a different kind of delete.
 */
export function policyFor(resource: { recoveryWindowInDays?: unknown; forceDelete?: unknown }, stack: StackSettings): DeletionPolicy {
    const r = validateSettings(resource, "resource");
    const s = validateSettings(stack, "stack", stack.project);
    const problems = [...r.problems, ...s.problems];
    if (problems.length) throw new Error(problems.map((p) => p.reason).join("; "));
    return resolveDeletionPolicy(r.settings!, s.settings!);
}

export function policyOutput(policy: DeletionPolicy): DeletionPolicyOutput {
    return {
        mode: policy.mode,
        ...(policy.mode === "window" ? { recoveryWindowInDays: policy.recoveryWindowInDays } : {}),
        source: policy.source,
        description: describePolicy(policy),
    };
}
