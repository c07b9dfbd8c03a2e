// Secret values between the engine and the lifecycle. The SDK's provider server tells the engine the plugin accepts
// secrets, so they arrive marked (a struct with the engine's signature key) and must leave marked: the engine does
// not mark a secret-accepting provider's outputs for it, and would store the value in plain text.

import { SECRET_VALUES } from "../../core/properties";

/** The engine's marker of a secret value in a property struct (the provider accepts secrets). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Plain values for the lifecycle; `secretKeys` (below) says which to wrap again on the way back. */
export function unwrapSecrets(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (v === null || typeof v !== "object") return v;
    const o = v as Record<string, unknown>;
    if (o[SECRET_SIG_KEY] === SECRET_SIG) return unwrapSecrets(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrapSecrets(x)]));
}

const isSecret = (v: unknown) => typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;

/** The top-level properties given as secrets, and the table's secret values whatever they were given as. */
export function secretKeys(...given: unknown[]): Set<string> {
    const keys = new Set<string>(SECRET_VALUES);
    for (const g of given)
        if (g && typeof g === "object") for (const [k, v] of Object.entries(g as Record<string, unknown>)) if (isSecret(v)) keys.add(k);
    return keys;
}

/**
 * The properties marked secret again: a provider that accepts secrets (as the SDK's provider server says it does)
 * returns them marked, or the engine stores them in plain text.
 */
export function wrapSecrets<T>(props: T, keys: Set<string>): T {
    if (!props || typeof props !== "object") return props;
    const o = { ...(props as Record<string, unknown>) };
    for (const k of keys) if (o[k] !== undefined && !isSecret(o[k])) o[k] = { [SECRET_SIG_KEY]: SECRET_SIG, value: o[k] };
    return o as T;
}
