// What every lifecycle step receives: the stack configuration in force, a logger, a client factory and clocks.
// Built per call by runtime.ts (tests build their own); lifecycle files only do AWS I/O with it.

import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { secretsManager } from "../aws/client";
import { StackAws, targetOf } from "../core/aws-settings";
import { consoleLogger, Logger } from "./log";
import { PURGE_TIMEOUT_DEFAULT_SECONDS } from "../core/stack-keys";
import { AssumeRoleSpec, StackSettings } from "../core/types";
import { parsePurgeTimeoutSeconds } from "../core/validate";
import { PollOptions } from "./wait";

/** Progress lines while waiting are at most this often. */
export const PROGRESS_EVERY_MS = 5000;

export interface ProviderContext {
    stack: StackSettings;
    log: Logger;
    /** A client for a region, with the secret's profile, roles and endpoint already applied. */
    client: (region: string) => SecretsManagerClient;
    sleep?: (ms: number) => Promise<void>;
    now?: () => number;
    random?: () => number;
    /** First poll delay while waiting for a name purge; the default suits AWS's usual seconds-long purge. */
    pollMinDelayMs?: number;
    pollMaxDelayMs?: number;
}

/** The context for one resource: its own profile/assumeRole over the stack's aws:* settings. */
export function contextFor(
    stack: StackSettings,
    aws: StackAws,
    resource: { profile?: string | undefined; assumeRole?: AssumeRoleSpec | undefined },
    log: Logger = consoleLogger,
): ProviderContext {
    return { stack, log, client: (region) => secretsManager(targetOf({ ...resource, region }, aws)) };
}

export function purgeTimeoutMs(ctx: ProviderContext): number {
    return (parsePurgeTimeoutSeconds(ctx.stack.purgeTimeoutSeconds) ?? PURGE_TIMEOUT_DEFAULT_SECONDS) * 1000;
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
