// Near misses of known names, for messages that say "did you mean ...?" instead of ignoring a misspelt name.

/**
 * Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`: the optimal-string-alignment distance,
 * so "forceDelte" is one edit from "forceDelete", as a reader counts it.
 */
export function editDistance(a: string, b: string): number {
    let before: number[] = [];
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] ?? 0) + 1);
            row.push(d);
        }
        before = prev;
        prev = row;
    }
    return prev[b.length] ?? 0;
}

/** Edits from `a` to `b`, letters compared without case: "ForceDelete" is as near "forceDelete" as it looks. */
function looseDistance(a: string, b: string): number {
    return editDistance(a.toLowerCase(), b.toLowerCase());
}

/** The known name nearest `name` within `maxEdits` (ties: the first listed), if any. */
export function nearest(name: string, known: readonly string[], maxEdits: number): string | undefined {
    let best: { name: string; d: number } | undefined;
    for (const k of known) {
        const d = looseDistance(name, k);
        if (d <= maxEdits && (best === undefined || d < best.d)) best = { name: k, d };
    }
    return best?.name;
}

/** How many edits still read as a misspelling of a name this long: 1 up to 4 letters, 2 up to 12, 3 beyond. */
export function typoBudget(name: string): number {
    return name.length <= 4 ? 1 : name.length <= 12 ? 2 : 3;
}
