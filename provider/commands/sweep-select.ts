// Which stacks a sweep tears down, from the backend's list (pure): a name matching a pattern, and a last update longer
// ago than the bound. Each stack is listed with why it goes or stays, so --dry-run can say it.

import { stackMatches } from "../policy-pack/rules";

export interface ListedStack {
    /** As the backend lists it ("pr-7", or "org/project/pr-7"). */
    name: string;
    /** ISO 8601: the backend's last operation on it; absent if never updated. */
    lastUpdate?: string | undefined;
    /** The kind of that operation, where known ("destroy": a teardown that did not finish, to be resumed). */
    lastOperation?: string | undefined;
    updateInProgress?: boolean | undefined;
    resourceCount?: number | undefined;
}

export interface SweepChoice {
    stack: string;
    go: boolean;
    /** In words: the pattern matched and how long it has been idle, or why it stays. */
    why: string;
    idleMs?: number | undefined;
    lastUpdate?: string | undefined;
}

const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)}h`;

/** Whether a stack's name matches one of the patterns (the pattern, else undefined). */
export function matchingPattern(stack: string, patterns: string[]): string | undefined {
    return stackMatches({ project: "", name: stack.split("/").pop()! }, patterns);
}

export function chooseStacks(
    stacks: ListedStack[],
    patterns: string[],
    idleForMs: number,
    now: number,
    removeStack = false,
): SweepChoice[] {
    return stacks.map((s) => {
        const pattern = matchingPattern(s.name, patterns);
        if (!pattern) return { stack: s.name, go: false, why: `matches none of ${patterns.join(", ")}` };
        if (s.updateInProgress) return { stack: s.name, go: false, why: "an update is in progress" };
        // Torn down already: only its removal is left, if asked for.
        if (s.resourceCount === 0 && !removeStack) return { stack: s.name, go: false, why: "holds no resources (torn down already)" };
        // Never updated: idle since it was created, which the backend does not list — so it is idle enough.
        const last = s.lastUpdate ? Date.parse(s.lastUpdate) : undefined;
        const idleMs = last === undefined ? undefined : now - last;
        const base = { stack: s.name, idleMs, lastUpdate: s.lastUpdate };
        // A destroy is only ever run to tear down: one that did not finish (a failed or killed sweep) is resumed.
        if (s.lastOperation === "destroy" && s.resourceCount !== 0)
            return { ...base, go: true, why: `matches ${pattern}, its last destroy did not finish` };
        if (idleMs !== undefined && idleMs <= idleForMs)
            return { ...base, go: false, why: `updated ${hours(idleMs)} ago, within ${hours(idleForMs)}` };
        return { ...base, go: true, why: `matches ${pattern}, ${idleMs === undefined ? "never updated" : `idle for ${hours(idleMs)}`}` };
    });
}

/** Runs `work` on each item, at most `k` at a time, in order of start; resolves with the results in input order. */
export async function inPool<T, R>(items: T[], k: number, work: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await work(items[i]!);
        }
    };
    await Promise.all(Array.from({ length: Math.min(k, items.length) }, worker));
    return results;
}
