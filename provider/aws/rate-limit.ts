// A client-side budget of calls per second and region, for when several provider processes share AWS's per-region
// control-plane quota (about 50 calls/s): `pulumi-safe-secret sweep` tears K stacks down at once, each in its own
// provider process, and gives each PULUMI_SAFE_SECRET_MAX_CALLS_PER_SECOND = quota / K. The SDK's adaptive retry
// mode still absorbs what throttling remains; this keeps K processes from provoking it K times over.

import type { SecretsManagerClient, ServiceInputTypes, ServiceOutputTypes } from "@aws-sdk/client-secrets-manager";
import type { FinalizeRequestMiddleware } from "@smithy/types";

type FinalizeMiddleware = FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes>;

export const RATE_ENV = "PULUMI_SAFE_SECRET_MAX_CALLS_PER_SECOND";

/** A token bucket holding one second of calls. `take` resolves when a call may go. */
export class TokenBucket {
    private tokens: number;
    private at: number;
    private queue: Promise<void> = Promise.resolve();

    constructor(
        private readonly perSecond: number,
        private readonly now: () => number = Date.now,
        private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    ) {
        this.tokens = perSecond;
        this.at = now();
    }

    take(): Promise<void> {
        // One waiter at a time, in order: calls leave at the budgeted pace, none starves.
        const turn = this.queue.then(async () => {
            for (;;) {
                const t = this.now();
                this.tokens = Math.min(this.perSecond, this.tokens + ((t - this.at) / 1000) * this.perSecond);
                this.at = t;
                if (this.tokens >= 1) {
                    this.tokens -= 1;
                    return;
                }
                await this.sleep(Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
            }
        });
        this.queue = turn;
        return turn;
    }
}

/** The budget from the environment: a positive number of calls per second, else none. */
export function rateFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
    const n = Number(env[RATE_ENV]);
    return Number.isFinite(n) && n > 0 ? n : undefined;
}

const buckets = new Map<string, TokenBucket>();

/** Every attempt the SDK makes (retries included) waits for its region's bucket, when a budget is set. */
export function limitCalls(client: SecretsManagerClient, region: string, perSecond = rateFromEnv()): void {
    if (perSecond === undefined) return;
    let bucket = buckets.get(region);
    if (!bucket) buckets.set(region, (bucket = new TokenBucket(perSecond)));
    const b = bucket;
    const limiter: FinalizeMiddleware = (next) => async (args) => {
        await b.take();
        return next(args);
    };
    client.middlewareStack.addRelativeTo(limiter, {
        relation: "after",
        toMiddleware: "retryMiddleware",
        name: "pulumiSafeSecretRateLimit",
    });
}
