// What every lifecycle step receives: the stack configuration in force, a logger, a client factory and clocks.
// Tests swap the clocks and client; the engine path uses the defaults.

import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { secretsManager } from "./aws/client";
import { consoleLogger, Logger } from "./log";
import { DeletionPolicy, describePolicy, resolveDeletionPolicy, validateSettings } from "./policy";
import { DeletionPolicyOutput, StackSettings } from "./types";
import { parsePurgeTimeoutSeconds, PURGE_TIMEOUT_DEFAULT_SECONDS } from "./validate";
import { PollOptions } from "./wait";

/** Progress lines while waiting are at most this often. */
export const PROGRESS_EVERY_MS = 5000;

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

/**
 * Poll options for waiting out AWS's purge of a force-deleted name, bounded by purgeTimeoutSeconds, with a progress
 * line (the reason, the time waited and the limit) at most every PROGRESS_EVERY_MS.
 */
export function purgePollOptions(ctx: ProviderContext): PollOptions {
    const timeoutMs = purgeTimeoutMs(ctx);
    let lastShown = -Infinity;
    return {
        minDelayMs: ctx.pollMinDelayMs ?? 200,
        maxDelayMs: ctx.pollMaxDelayMs ?? 5000,
        timeoutMs,
        sleep: ctx.sleep,
        now: ctx.now,
        random: ctx.random,
        onRetry: (reason, elapsed) => {
            if (elapsed - lastShown >= PROGRESS_EVERY_MS) {
                lastShown = elapsed;
                ctx.log(`${reason}; waiting (${Math.round(elapsed / 1000)}s of ${Math.round(timeoutMs / 1000)}s)`);
            }
        },
    };
}
