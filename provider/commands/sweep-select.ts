// Which stacks a sweep tears down, from the backend's list (pure): a name matching a pattern, no teardown protection,
// and a last update longer ago than the bound. Each stack is listed with why it goes or stays, so --dry-run can say it.

import { parseStrictBoolean, typedKey } from "../core/policy";
import { protectionProblem } from "../core/policy";
import { PLUGIN_NAMESPACE, stackMatches } from "../core/identity";

/** A stack's configuration as `pulumi config --json` gives it (full key: value), or why it could not be read. */
export type StackConfigRead =
    | { ok: true; values: Readonly<Record<string, { value?: string | undefined; secret?: boolean | undefined }>> }
    | { ok: false; problem: string };

export interface ListedStack {
    /** As the backend lists it ("pr-7", or "org/project/pr-7"). */
    name: string;
    /** ISO 8601: the backend's last operation on it; absent if never updated. */
    lastUpdate?: string | undefined;
    /** The kind of that operation, where known ("destroy": a teardown that did not finish, to be resumed). */
    lastOperation?: string | undefined;
    updateInProgress?: boolean | undefined;
    resourceCount?: number | undefined;
    /** Read for a stack whose name matches; a matching stack without it is not taken (its protection is unknown). */
    config?: StackConfigRead | undefined;
}

/**
 * Why a stack is kept out of every sweep by teardown protection: the key is true, or holds a value the preview's
 * validator rejects, or the configuration could not be read. The last two fail closed: they may mean "protected".
 */
export type Protection =
    | { kind: "protected"; key: string; value: string }
    | { kind: "invalid"; key: string; value: string }
    | { kind: "unreadable"; problem: string };

export interface SweepChoice {
    stack: string;
    go: boolean;
    /** In words: the pattern matched and how long it has been idle, or why it stays. */
    why: string;
    /** Set (with `protection`) on a stack teardown protection keeps: a sweep never takes it, however idle. */
    protected?: true;
    protection?: Protection;
    idleMs?: number | undefined;
    lastUpdate?: string | undefined;
}

export interface SweepCriteria {
    patterns: string[];
    idleForMs: number;
    now: number;
    /** The Pulumi project: the dynamic Secret's keys are `<project>:<key>`; the plugin's are `safesecret:<key>`. */
    project: string;
    removeStack?: boolean | undefined;
}

const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)}h`;

/** Whether a stack's name matches one of the patterns (the pattern, else undefined). */
export function matchingPattern(stack: string, patterns: string[]): string | undefined {
    return stackMatches({ project: "", name: stack.split("/").pop()! }, patterns);
}

/** The stack's teardown protection in either namespace, judged as preview judges the key; undefined: none. */
export function protectionOf(config: StackConfigRead | undefined, project: string): Protection | undefined {
    if (!config) return { kind: "unreadable", problem: "its configuration was not read" };
    if (!config.ok) return { kind: "unreadable", problem: config.problem };
    for (const namespace of new Set([project, PLUGIN_NAMESPACE])) {
        const key = `${namespace}:teardownProtection`;
        const entry = config.values[key];
        if (!entry) continue;
        // A secret's value is not repeated in a summary; it is judged all the same.
        const shown = entry.secret ? "[secret]" : (entry.value ?? "");
        // No value at all (a secret the CLI did not decrypt) cannot be judged: fail closed, like a bad one.
        if (entry.value === undefined) return { kind: "invalid", key, value: shown };
        if (protectionProblem({ project: namespace, teardownProtection: entry.value })) return { kind: "invalid", key, value: shown };
        if (parseStrictBoolean(entry.value) === true) return { kind: "protected", key, value: shown };
    }
    return undefined;
}

/** What a dry run and the summary say about a protected stack: the key and its value, and the ways on. */
function protectionWhy(p: Protection, stack: string): string {
    const byHand = `a sweep never takes it; tearing it down is a human's \`pulumi-safe-secret teardown --stack ${stack}\``;
    if (p.kind === "unreadable")
        return `could not read its configuration, so its teardown protection is unknown (${p.problem}) — ${byHand}`;
    const namespace = p.key.slice(0, p.key.lastIndexOf(":"));
    const setFalse = `\`pulumi config set ${typedKey(namespace, "teardownProtection")} false --stack ${stack}\``;
    if (p.kind === "protected") return `protected: ${p.key} is ${p.value} — ${byHand} (or ${setFalse} first)`;
    return `protected: ${p.key} is ${JSON.stringify(p.value)}, which is not true or false (preview rejects it too), so it is taken as true — ${byHand}, or set it with ${setFalse} (or true)`;
}

export function chooseStacks(stacks: ListedStack[], criteria: SweepCriteria): SweepChoice[] {
    const { patterns, idleForMs, now, project, removeStack = false } = criteria;
    return stacks.map((s): SweepChoice => {
        const pattern = matchingPattern(s.name, patterns);
        if (!pattern) return { stack: s.name, go: false, why: `matches none of ${patterns.join(", ")}` };
        // First: a protected stack is listed as protected whatever else would keep it.
        const protection = protectionOf(s.config, project);
        if (protection) return { stack: s.name, go: false, why: protectionWhy(protection, s.name), protected: true, protection };
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
