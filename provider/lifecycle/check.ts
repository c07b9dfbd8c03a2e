// Check runs at preview before anything else: it rejects bad inputs and bad stack configuration (no AWS call
// is made for a rejected resource), resolves the name and region, and records the deletion policy in force.

import { randomBytes } from "crypto";
import { defaultRegion } from "../aws/client";
import { SECRET_INPUTS } from "../core/properties";
import { normalizeGeneration, PASSWORD_LENGTH_MAX } from "../core/generated-value";
import { chooseAutoname, NameStatus } from "../core/ownership";
import { parseWholeNumber } from "../core/parse";
import { checkDeletionSettings, parseRecoveryWindow, parseStrictBoolean, policyOutput, SettingProblem } from "../core/policy";
import { RawInputs, SecretInputs, StackSettings } from "../core/types";
import { regionKeyOf, UNKNOWN, validateInputs, validateStackSettings } from "../core/validate";

export interface CheckOutcome {
    /** What create, update and diff receive. Only trustworthy when there are no failures (the engine stops then). */
    inputs: SecretInputs;
    failures: { property: string; reason: string }[];
}

/** Asks AWS who holds a name in a region: free, this resource's own interrupted create, or someone else. */
export type NameLookup = (name: string, token: string, region: string) => Promise<NameStatus>;

/**
 * Autonames like other Pulumi resources: the resource name and a suffix, kept once chosen (also when the resource is
 * renamed with an alias). A preview cannot know the suffix `up` will choose, so it shows the name as unknown. The
 * suffix drawn here is random only for inputs without an owner key; checkSecret derives it from the owner.
 */
export function resolveName(
    olds: Partial<SecretInputs>,
    news: Record<string, unknown>,
    random = () => randomBytes(4).toString("hex").slice(0, 7),
): { name: unknown; autonamed: boolean } {
    if (news.name !== undefined) return { name: news.name, autonamed: false };
    if (olds.autonamed && olds.name) return { name: olds.name, autonamed: true };
    if (news.dryRun === true) return { name: UNKNOWN, autonamed: true };
    return { name: `${news.resourceName ?? "secret"}-${random()}`, autonamed: true };
}

/** The owner key kept from the first create (so an alias rename keeps it), else the one the program sends. */
export function ownerOf(olds: Partial<SecretInputs>, news: Record<string, unknown>): string | undefined {
    if (typeof olds.owner === "string") return olds.owner;
    return typeof news.owner === "string" ? news.owner : undefined;
}

export async function checkSecret(
    olds: Partial<SecretInputs>,
    news: RawInputs,
    stack: StackSettings,
    lookup?: NameLookup,
): Promise<CheckOutcome> {
    const problems: SettingProblem[] = [...validateStackSettings(stack)];
    let region = news.region as string | undefined;
    if (region === undefined) {
        region = await defaultRegion(stack.aws?.region, (news.profile as string | undefined) ?? stack.aws?.profile);
        if (!region) {
            const key = regionKeyOf(stack);
            problems.push({
                key,
                reason: `no AWS region is set — run \`pulumi config set ${key} us-east-1\`, set AWS_REGION, or give the Secret a region`,
            });
        }
    }
    problems.push(...validateInputs(news, region));

    const resolved = resolveName(olds, news);
    const autonamed = resolved.autonamed;
    let name = resolved.name;
    const owner = ownerOf(olds, news);
    const drawn = autonamed && name !== UNKNOWN && !(olds.autonamed && olds.name);
    if (drawn && owner && lookup && region && problems.length === 0) {
        // A name derived from the owner, passing over names held by others or by this resource's scheduled predecessors.
        const where = region;
        try {
            name = await chooseAutoname(String(news.resourceName ?? "secret"), owner, where, (n, token) => lookup(n, token, where));
        } catch (e) {
            problems.push({
                key: "name",
                reason: `could not look up which autoname is free in ${where}: ${(e as Error).message} — nothing was created; run \`pulumi up\` again`,
            });
        }
        if (!name && problems.length === 0) {
            problems.push({
                key: "name",
                reason: `every autoname this resource can use in ${where} is held by another secret — give the Secret a name`,
            });
        }
    }
    const { dryRun: _, ...rest } = news;
    const inputs: RawInputs = { ...rest, name, autonamed, region, owner };
    if (problems.length === 0) Object.assign(inputs, generatedValueInputs(news));
    const settingsKnown = news.recoveryWindowInDays !== UNKNOWN && news.forceDelete !== UNKNOWN;
    const deletion = checkDeletionSettings(settingsKnown ? news : undefined, stack);
    problems.push(...deletion.problems);
    if (problems.length === 0 && deletion.policy) {
        inputs.deletionPolicy = policyOutput(deletion.policy);
        // Stored as the types they were validated as (a "7" given by a JavaScript program becomes 7).
        inputs.recoveryWindowInDays = parseRecoveryWindow(news.recoveryWindowInDays);
        inputs.forceDelete = parseStrictBoolean(news.forceDelete);
    }
    return {
        // Every field was validated above (validateInputs, the settings, the name and region resolved).
        inputs: withoutUndefined(inputs) as SecretInputs,
        failures: problems.map((p) => ({ property: propertyOf(p.key), reason: p.reason })),
    };
}

/**
 * `generation` and `generateSecretString.passwordLength` as state stores them (validated): `generation: 2` and "2"
 * are one intent, so switching between them generates nothing; a "32" given by a JavaScript program becomes 32.
 */
function generatedValueInputs(news: RawInputs): RawInputs {
    const out: RawInputs = {};
    const gen = news.generation;
    if (typeof gen === "number") out.generation = normalizeGeneration(gen);
    const spec = news.generateSecretString as Record<string, unknown> | undefined;
    // An unknown passwordLength stays the engine's unknown, so the preview shows it as "output<number>", not absent.
    if (spec && typeof spec === "object" && typeof spec.passwordLength === "string" && spec.passwordLength !== UNKNOWN) {
        out.generateSecretString = { ...spec, passwordLength: parseWholeNumber(spec.passwordLength, 1, PASSWORD_LENGTH_MAX) };
    }
    return out;
}

/** The engine's struct encoding rejects undefined values; an absent key says the same thing. */
export function withoutUndefined<T>(v: T): T {
    if (Array.isArray(v)) return v.map(withoutUndefined) as T;
    if (v === null || typeof v !== "object" || v instanceof Date) return v;
    return Object.fromEntries(
        Object.entries(v)
            .filter(([, x]) => x !== undefined)
            .map(([k, x]) => [k, withoutUndefined(x)]),
    ) as T;
}

/**
 * The input property a failure is attached to. The engine prints that property's value beside the reason, so
 * stack keys, names a Secret does not take (which may hold a secret: "secretStrng") and secretString (whose value must
 * never be printed) get none; the reason names them.
 */
export function propertyOf(key: string): string {
    if (key.includes(":") || key.startsWith("secretString")) return "";
    const property = key.split(/[.[]/)[0] ?? key;
    return (SECRET_INPUTS as readonly string[]).includes(property) ? property : "";
}
