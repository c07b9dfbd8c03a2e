// Hand-written polling, used only for AWS's eventual-consistency races (the name purge after a force delete).
// Shaped like smithy's util-waiter: an acceptor answers success / retry / failure; delays grow by 1.3x with
// jitter into [80%, 100%], so the wait ends soon after the condition does (overshoot at most about 30%).

export type PollResult<T> =
    | { readonly state: "success"; readonly value: T }
    | { readonly state: "retry"; readonly reason: string }
    | { readonly state: "failure"; readonly error: Error };

export interface PollOptions {
    /** First delay. */
    minDelayMs: number;
    /** Largest delay between attempts. */
    maxDelayMs: number;
    /** Total time allowed, measured from the first attempt. */
    timeoutMs: number;
    /** Called before each sleep with what is being waited for; used to show progress. */
    onRetry?: ((reason: string, elapsedMs: number, attempt: number) => void) | undefined;
    sleep?: ((ms: number) => Promise<void>) | undefined;
    now?: (() => number) | undefined;
    random?: (() => number) | undefined;
}

export class PollTimeoutError extends Error {
    constructor(
        message: string,
        readonly lastReason: string,
        readonly elapsedMs: number,
        readonly attempts: number,
    ) {
        super(message);
        this.name = "PollTimeoutError";
    }
}

export const GROWTH = 1.3;
export const JITTER_FLOOR = 0.8;

export function validatePollOptions(o: PollOptions): void {
    if (!(o.minDelayMs > 0) || !(o.maxDelayMs >= o.minDelayMs) || !(o.timeoutMs >= 0)) {
        throw new Error(
            `poll options need 0 < minDelayMs <= maxDelayMs and timeoutMs >= 0; got minDelayMs=${o.minDelayMs}, ` +
                `maxDelayMs=${o.maxDelayMs}, timeoutMs=${o.timeoutMs}`,
        );
    }
}

/** The delay before attempt n+1 (n from 1): min·1.3^(n-1), capped, then jittered into [80%, 100%]. */
export function backoffDelay(attempt: number, o: Pick<PollOptions, "minDelayMs" | "maxDelayMs">, random: () => number): number {
    const base = Math.min(o.maxDelayMs, o.minDelayMs * Math.pow(GROWTH, attempt - 1));
    return Math.max(1, Math.round(base * (JITTER_FLOOR + (1 - JITTER_FLOOR) * random())));
}

export async function pollUntil<T>(acceptor: () => Promise<PollResult<T>>, o: PollOptions): Promise<T> {
    validatePollOptions(o);
    const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const now = o.now ?? Date.now;
    const random = o.random ?? Math.random;
    const start = now();
    for (let attempt = 1; ; attempt++) {
        const result = await acceptor();
        if (result.state === "success") return result.value;
        if (result.state === "failure") throw result.error;
        const elapsed = now() - start;
        const remaining = o.timeoutMs - elapsed;
        if (remaining <= 0) {
            throw new PollTimeoutError(
                `still waiting after ${Math.round(elapsed / 1000)}s (${attempt} attempts): ${result.reason}`,
                result.reason,
                elapsed,
                attempt,
            );
        }
        o.onRetry?.(result.reason, elapsed, attempt);
        await sleep(Math.min(remaining, backoffDelay(attempt, o, random)));
    }
}
