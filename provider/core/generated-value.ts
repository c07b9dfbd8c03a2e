// A value Secrets Manager generates (GetRandomPassword), so that it never passes through the program or the state:
// the input's shape and its validation, the GetRandomPassword request it makes, CDK's JSON template form, and when an
// update must put a freshly generated value. Pure: the AWS calls are lifecycle's (create.ts, update.ts).

import type { SettingProblem } from "./policy";
import { describeValue as show, parseWholeNumber } from "./parse";
import { nearest, typoBudget } from "./spelling";

/** `generateSecretString`: GetRandomPassword's parameters, and CDK's template form (a JSON object and the key to fill). */
export interface GenerateSecretStringSpec {
    passwordLength?: number | undefined;
    excludeCharacters?: string | undefined;
    excludeNumbers?: boolean | undefined;
    excludePunctuation?: boolean | undefined;
    excludeUppercase?: boolean | undefined;
    excludeLowercase?: boolean | undefined;
    includeSpace?: boolean | undefined;
    requireEachIncludedType?: boolean | undefined;
    secretStringTemplate?: string | undefined;
    generateStringKey?: string | undefined;
}

/** AWS's default length, sent explicitly so the length never depends on the endpoint's default. */
export const PASSWORD_LENGTH_DEFAULT = 32;
export const PASSWORD_LENGTH_MAX = 4096;
/** The most bytes AWS takes as a secret's value (validate.ts's SECRET_STRING_MAX_BYTES; repeated, as validate imports this). */
const VALUE_MAX_BYTES = 65536;

const FLAGS = [
    "excludeNumbers",
    "excludePunctuation",
    "excludeUppercase",
    "excludeLowercase",
    "includeSpace",
    "requireEachIncludedType",
] as const;

/** Every key `generateSecretString` takes, in the order a refusal lists them. */
export const GENERATE_KEYS = ["passwordLength", "excludeCharacters", ...FLAGS, "secretStringTemplate", "generateStringKey"] as const;

/** GetRandomPassword's character classes, as AWS documents them. */
const CLASSES = {
    lowercase: { flag: "excludeLowercase", chars: "abcdefghijklmnopqrstuvwxyz" },
    uppercase: { flag: "excludeUppercase", chars: "ABCDEFGHIJKLMNOPQRSTUVWXYZ" },
    numbers: { flag: "excludeNumbers", chars: "0123456789" },
    punctuation: { flag: "excludePunctuation", chars: "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" },
} as const;

/** The classes a spec draws from (space with includeSpace), each with the characters excludeCharacters leaves it. */
export function includedClasses(spec: GenerateSecretStringSpec): { name: string; chars: string }[] {
    const excluded = new Set(spec.excludeCharacters ?? "");
    const classes: { name: string; chars: string }[] = Object.entries(CLASSES)
        .filter(([, c]) => spec[c.flag] !== true)
        .map(([name, c]) => ({ name, chars: c.chars }));
    if (spec.includeSpace === true) classes.push({ name: "space", chars: " " });
    return classes.map((c) => ({ name: c.name, chars: [...c.chars].filter((ch) => !excluded.has(ch)).join("") }));
}

/** GetRandomPassword's request for a spec (the SDK's GetRandomPasswordRequest, field for field). */
export interface RandomPasswordRequest {
    PasswordLength: number;
    ExcludeCharacters?: string | undefined;
    ExcludeNumbers?: boolean | undefined;
    ExcludePunctuation?: boolean | undefined;
    ExcludeUppercase?: boolean | undefined;
    ExcludeLowercase?: boolean | undefined;
    IncludeSpace?: boolean | undefined;
    RequireEachIncludedType?: boolean | undefined;
}

export function randomPasswordRequest(spec: GenerateSecretStringSpec): RandomPasswordRequest {
    return {
        PasswordLength: spec.passwordLength ?? PASSWORD_LENGTH_DEFAULT,
        ExcludeCharacters: spec.excludeCharacters || undefined,
        ExcludeNumbers: spec.excludeNumbers,
        ExcludePunctuation: spec.excludePunctuation,
        ExcludeUppercase: spec.excludeUppercase,
        ExcludeLowercase: spec.excludeLowercase,
        IncludeSpace: spec.includeSpace,
        RequireEachIncludedType: spec.requireEachIncludedType,
    };
}

/**
 * The secret's value from a generated password: the password itself, or CDK's form, the template with the password
 * at generateStringKey (`{"username":"app"}` → `{"username":"app","password":"…"}`).
 */
export function secretValueOf(spec: GenerateSecretStringSpec, password: string): string {
    if (spec.secretStringTemplate === undefined || spec.generateStringKey === undefined) return password;
    const template = JSON.parse(spec.secretStringTemplate) as Record<string, unknown>;
    return JSON.stringify({ ...template, [spec.generateStringKey]: password });
}

/** `generation` as state stores it: 2 and "2" are the same intent, so changing one for the other puts no value. */
export function normalizeGeneration(v: string | number | undefined): string | undefined {
    return v === undefined ? undefined : String(v);
}

/** The state a value decision reads: what was recorded, and what the program now declares. */
export interface ValueState {
    secretString?: string | undefined;
    generateSecretString?: GenerateSecretStringSpec | undefined;
    generation?: string | number | undefined;
    versionId?: string | undefined;
}

/**
 * Why an update puts a freshly generated value, or undefined: none is put. Only a change of intent does: `generation`
 * changed or added (removing it asks for nothing); a given value (secretString) replaced by a generated one; or a
 * secret with no value at all. Changing the generation parameters alone puts none, and a secret taken over (adopt,
 * `pulumi import`) keeps the value AWS holds.
 */
export function generateReason(olds: ValueState, news: ValueState): "rotate" | "switch" | "first" | undefined {
    if (news.generateSecretString === undefined) return undefined;
    if (olds.generateSecretString === undefined && olds.secretString !== undefined) return "switch";
    if (olds.versionId === undefined) return "first";
    if (olds.generateSecretString === undefined || news.generation === undefined) return undefined;
    return normalizeGeneration(olds.generation) !== normalizeGeneration(news.generation) ? "rotate" : undefined;
}

// ---- Validation ------------------------------------------------------------------------------------------------

const KEY = "generateSecretString";

/**
 * Problems in `generateSecretString`, `generation` and their relation to `secretString`; `isUnknown` tells a value
 * not known until apply, checked once it is. The value itself, if any, is never in a message.
 */
export function validateGeneratedValue(news: Record<string, unknown>, isUnknown: (v: unknown) => boolean): SettingProblem[] {
    const problems: SettingProblem[] = [];
    const g = news[KEY];
    if (g !== undefined && news.secretString !== undefined) {
        problems.push({
            key: KEY,
            reason:
                "secretString and generateSecretString are both given, but a Secret takes one value — keep secretString for a value " +
                "the program must know (a third-party API key), or generateSecretString to have AWS generate one; remove the other",
        });
    }
    const gen = news.generation;
    if (gen !== undefined && !isUnknown(gen)) {
        if (!(typeof gen === "string" || (typeof gen === "number" && Number.isFinite(gen)))) {
            problems.push({ key: "generation", reason: `generation must be a string or a number, e.g. 2, got ${show(gen)}` });
        } else if (g === undefined) {
            problems.push({
                key: "generation",
                reason:
                    "generation takes effect only with generateSecretString (it asks for a newly generated value) — add " +
                    "generateSecretString, or drop generation and change secretString to rotate a given value",
            });
        }
    }
    if (g === undefined || isUnknown(g)) return problems;
    return [...problems, ...specProblems(g, isUnknown)];
}

/** Problems in the generateSecretString object itself. */
function specProblems(g: unknown, isUnknown: (v: unknown) => boolean): SettingProblem[] {
    if (typeof g !== "object" || g === null || Array.isArray(g)) {
        return [{ key: KEY, reason: `${KEY} must be an object like { passwordLength: 32 }, got ${show(g)}` }];
    }
    const spec = g as Record<string, unknown>;
    const problems = unknownKeys(spec);
    const known = (k: string) => spec[k] !== undefined && !isUnknown(spec[k]);
    const allKnown = (keys: readonly string[]) => keys.every((k) => spec[k] === undefined || known(k));
    if (known("passwordLength") && parseWholeNumber(spec.passwordLength, 1, PASSWORD_LENGTH_MAX) === undefined) {
        problems.push({
            key: `${KEY}.passwordLength`,
            reason: `${KEY}.passwordLength must be a whole number from 1 to ${PASSWORD_LENGTH_MAX}, got ${show(spec.passwordLength)} — e.g. 32, AWS's default`,
        });
    }
    if (known("excludeCharacters") && typeof spec.excludeCharacters !== "string") {
        problems.push({
            key: `${KEY}.excludeCharacters`,
            reason: `${KEY}.excludeCharacters must be a string of the characters to leave out, e.g. "\\"'\\\\", got ${show(spec.excludeCharacters)}`,
        });
    }
    for (const flag of FLAGS) {
        if (known(flag) && typeof spec[flag] !== "boolean") {
            problems.push({ key: `${KEY}.${flag}`, reason: `${KEY}.${flag} must be true or false, got ${show(spec[flag])}` });
        }
    }
    problems.push(...templateProblems(spec, known));
    // The character pool only when every parameter it depends on is known and well typed; the value's size also needs
    // the template form known (an unknown template is a placeholder, not JSON).
    const formKnown = allKnown(["secretStringTemplate", "generateStringKey"]);
    if (problems.length === 0 && allKnown(["excludeCharacters", "passwordLength", ...FLAGS])) {
        problems.push(...poolProblems(spec as GenerateSecretStringSpec, formKnown));
    }
    return problems;
}

function unknownKeys(spec: Record<string, unknown>): SettingProblem[] {
    const keys: readonly string[] = GENERATE_KEYS;
    return Object.keys(spec)
        .filter((k) => !keys.includes(k))
        .map((k) => {
            const meant = nearest(k, keys, typoBudget(k));
            const reason =
                meant !== undefined
                    ? `${KEY}.${k} is not a parameter of ${KEY} — did you mean ${meant}? Rename it to ${meant}`
                    : `${KEY}.${k} is not a parameter of ${KEY}, which takes ${keys.join(", ")} — rename or remove it`;
            return { key: `${KEY}.${k}`, reason };
        });
}

function templateProblems(spec: Record<string, unknown>, known: (k: string) => boolean): SettingProblem[] {
    const t = spec.secretStringTemplate;
    const k = spec.generateStringKey;
    if (t === undefined && k === undefined) return [];
    if (t === undefined || k === undefined) {
        const [given, missing] =
            t === undefined ? ["generateStringKey", "secretStringTemplate"] : ["secretStringTemplate", "generateStringKey"];
        return [
            {
                key: `${KEY}.${given}`,
                reason:
                    `${KEY}.${given} is given without ${missing}: the template form needs both, e.g. secretStringTemplate ` +
                    `'{"username":"app"}' and generateStringKey "password" — add ${missing}, or drop ${given} to store the password alone`,
            },
        ];
    }
    if (!known("secretStringTemplate") || !known("generateStringKey")) return [];
    if (typeof k !== "string" || k.length === 0) {
        return [
            {
                key: `${KEY}.generateStringKey`,
                reason: `${KEY}.generateStringKey must be a non-empty string such as "password", got ${show(k)}`,
            },
        ];
    }
    const template = typeof t === "string" ? parseObject(t) : undefined;
    if (template === undefined) {
        return [
            {
                key: `${KEY}.secretStringTemplate`,
                reason:
                    `${KEY}.secretStringTemplate must be a JSON object as text, e.g. '{"username":"app"}' ` +
                    `(JSON.stringify of an object), got ${show(t)}`,
            },
        ];
    }
    if (Object.prototype.hasOwnProperty.call(template, k)) {
        return [
            {
                key: `${KEY}.generateStringKey`,
                reason: `${KEY}.secretStringTemplate already holds the key ${show(k)}, which generateStringKey asks to fill — remove it from the template, or choose another generateStringKey`,
            },
        ];
    }
    return [];
}

function parseObject(text: string): Record<string, unknown> | undefined {
    try {
        const v: unknown = JSON.parse(text);
        return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}

/** Whether AWS can draw the password the spec asks for: characters left, enough length for each class, AWS's size limit. */
function poolProblems(given: GenerateSecretStringSpec, formKnown: boolean): SettingProblem[] {
    const spec = { ...given, passwordLength: parseWholeNumber(given.passwordLength, 1, PASSWORD_LENGTH_MAX) };
    const classes = includedClasses(spec);
    const length = spec.passwordLength ?? PASSWORD_LENGTH_DEFAULT;
    // A space alone is no password: one of the four classes must be left.
    if (classes.every((c) => c.name === "space")) {
        return [
            {
                key: KEY,
                reason:
                    `${KEY} excludes every character class (numbers, punctuation, uppercase, lowercase), so there is nothing to ` +
                    "generate from — set one of them to false",
            },
        ];
    }
    if (classes.every((c) => c.chars.length === 0)) {
        return [
            {
                key: `${KEY}.excludeCharacters`,
                reason:
                    `${KEY}.excludeCharacters removes every character the included classes (${classes.map((c) => c.name).join(", ")}) ` +
                    "hold, so there is nothing to generate from — exclude fewer characters, or include another class",
            },
        ];
    }
    // AWS requires each included class unless told not to.
    if (spec.requireEachIncludedType !== false) {
        const emptied = classes.filter((c) => c.chars.length === 0);
        if (emptied.length > 0) {
            const names = emptied.map((c) => c.name).join(", ");
            return [
                {
                    key: `${KEY}.excludeCharacters`,
                    reason:
                        `${KEY}.excludeCharacters removes every character of ${names}, which requireEachIncludedType (true unless set ` +
                        `to false) requires — exclude ${names} with its flag, set requireEachIncludedType: false, or exclude fewer characters`,
                },
            ];
        }
        if (length < classes.length) {
            return [
                {
                    key: `${KEY}.passwordLength`,
                    reason:
                        `${KEY}.passwordLength is ${length}, shorter than the ${classes.length} character classes requireEachIncludedType ` +
                        `(true unless set to false) requires — raise passwordLength to at least ${classes.length}, or set requireEachIncludedType: false`,
                },
            ];
        }
    }
    if (!formKnown) return [];
    const longest = spec.secretStringTemplate !== undefined && spec.generateStringKey !== undefined;
    const bytes = longest ? Buffer.byteLength(secretValueOf(spec, "x".repeat(length)), "utf8") : length;
    if (bytes > VALUE_MAX_BYTES) {
        return [
            {
                key: `${KEY}.secretStringTemplate`,
                reason: `${KEY} makes a value of ${bytes} bytes; AWS allows at most ${VALUE_MAX_BYTES} — shorten the template or passwordLength`,
            },
        ];
    }
    return [];
}
