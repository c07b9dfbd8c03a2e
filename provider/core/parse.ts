// The grammars of the values a user types — whole numbers and durations — and how a value is quoted back in a
// message: one of each, for stack configuration, resource inputs and command-line flags alike. Pure.

/**
 * A whole number from `min` to `max`: a number, or its decimal digits as configuration and flags deliver them
 * (surrounding whitespace ignored; no sign, fraction or exponent). Anything else, or out of range, is undefined.
 */
export function parseWholeNumber(v: unknown, min: number, max: number): number | undefined {
    const n = typeof v === "number" ? v : typeof v === "string" && /^[0-9]+$/.test(v.trim()) ? Number(v.trim()) : NaN;
    return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;

/**
 * A duration in milliseconds: whole numbers with units d, h, m, s, largest first, each at most once — "90s", "72h",
 * "3d", "1h30m" (the form @pulumi/aws takes for assumeRole.duration). Surrounding whitespace is ignored; anything
 * else ("3w", "1.5h", "3 days", "") is undefined. The caller bounds the value (digits without end give Infinity).
 */
export function parseDuration(raw: string): number | undefined {
    const parts = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(raw.trim());
    if (!parts || raw.trim() === "") return undefined;
    const [, d, h, m, s] = parts;
    return Number(d ?? 0) * UNIT_MS.d + Number(h ?? 0) * UNIT_MS.h + Number(m ?? 0) * UNIT_MS.m + Number(s ?? 0) * UNIT_MS.s;
}

/** A value as a message quotes it back: strings quoted (cut at 80 characters), anything else as JavaScript prints it. */
export function describeValue(v: unknown): string {
    return typeof v === "string" ? JSON.stringify(v.length > 80 ? v.slice(0, 80) + "…" : v) : String(v);
}
