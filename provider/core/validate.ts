// Pure validation of a Secret's inputs and the stack configuration, run by `check` at preview,
// before any AWS call. Each message names the property or key, the value (never a secret value) and the fix.

import { OUTPUT_ONLY, PROVIDER_INPUTS, SECRET_INPUTS } from "./properties";
import { OWNER_TAG } from "./ownership";
import { parseAssumeRole, parseStackAws } from "./aws-settings";
import { protectionProblem, resourceGuardProblem, SettingProblem, stackGuardProblem, typedKey } from "./policy";
import { describeValue as show, parseWholeNumber } from "./parse";
import { nearest, typoBudget } from "./spelling";
import { validateGeneratedValue } from "./generated-value";
import { PURGE_TIMEOUT_DEFAULT_SECONDS, PURGE_TIMEOUT_MAX_SECONDS, STACK_KEYS } from "./stack-keys";
import { StackSettings } from "./types";

/** The engine's placeholder for values not known until apply; such values are checked when they are known. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const NAME_MAX = 512;
export const DESCRIPTION_MAX = 2048;
export const SECRET_STRING_MAX_BYTES = 65536;
export const KMS_KEY_MAX = 2048;
export const TAGS_MAX = 50;
export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;

const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]+$/;
const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$/;
const TAG_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const isUnknown = (v: unknown) => v === UNKNOWN;

export function validateName(name: unknown): SettingProblem[] {
    if (name === undefined || isUnknown(name)) return [];
    if (typeof name !== "string") return [{ key: "name", reason: `name must be a string, got ${show(name)}` }];
    if (name.length === 0) {
        return [{ key: "name", reason: "name is empty — give a name, or omit it to get an autonamed secret" }];
    }
    if (name.length > NAME_MAX) {
        return [{ key: "name", reason: `name is ${name.length} characters; AWS allows at most ${NAME_MAX} — shorten it` }];
    }
    if (!NAME_PATTERN.test(name)) {
        const bad = [...new Set([...name].filter((c) => !NAME_PATTERN.test(c)))].join("");
        return [
            {
                key: "name",
                reason: `name ${show(name)} contains ${show(bad)}; AWS allows only letters, digits and /_+=.@- — rename it`,
            },
        ];
    }
    return [];
}

/** The setting a stack-wide region comes from, as messages name it. */
export function regionKeyOf(stack: StackSettings): string {
    return stack.regionKey ?? `${stack.awsNamespace ?? "aws"}:region`;
}

export function validateRegion(key: string, region: unknown): SettingProblem[] {
    if (region === undefined || isUnknown(region)) return [];
    if (typeof region !== "string" || !REGION_PATTERN.test(region)) {
        return [{ key, reason: `${key} ${show(region)} is not an AWS region name — use one such as "us-east-1"` }];
    }
    return [];
}

function validateKmsKey(key: string, v: unknown): SettingProblem[] {
    if (v === undefined || isUnknown(v)) return [];
    if (typeof v !== "string" || v.length === 0 || v.length > KMS_KEY_MAX) {
        return [{ key, reason: `${key} must be a KMS key id, alias or ARN of 1–${KMS_KEY_MAX} characters, got ${show(v)}` }];
    }
    return [];
}

export function validateTags(tags: unknown): SettingProblem[] {
    if (tags === undefined || isUnknown(tags)) return [];
    if (typeof tags !== "object" || tags === null || Array.isArray(tags)) {
        return [{ key: "tags", reason: `tags must be a map of strings, e.g. { team: "payments" }, got ${show(tags)}` }];
    }
    const problems: SettingProblem[] = [];
    const entries = Object.entries(tags as Record<string, unknown>);
    // One of AWS's 50 is the create-token tag every secret of this package carries (ownership.ts).
    if (entries.length > TAGS_MAX - 1) {
        problems.push({
            key: "tags",
            reason: `tags has ${entries.length} entries; AWS allows at most ${TAGS_MAX}, one of which is ${OWNER_TAG} — drop some`,
        });
    }
    for (const [k, v] of entries) {
        if (k.length === 0 || k.length > TAG_KEY_MAX) {
            problems.push({ key: "tags", reason: `tag key ${show(k)} must be 1–${TAG_KEY_MAX} characters — rename it` });
        } else if (k === OWNER_TAG) {
            problems.push({
                key: "tags",
                reason: `tag key ${show(k)} is written by the provider itself to recognise its own creates — rename it`,
            });
        } else if (k.toLowerCase().startsWith("aws:")) {
            problems.push({ key: "tags", reason: `tag key ${show(k)} uses the reserved prefix "aws:" — rename it` });
        } else if (!TAG_PATTERN.test(k)) {
            problems.push({
                key: "tags",
                reason: `tag key ${show(k)} has characters AWS refuses; use letters, digits, spaces and _.:/=+-@`,
            });
        }
        if (isUnknown(v)) continue;
        if (typeof v !== "string") {
            problems.push({ key: "tags", reason: `tag ${show(k)} has value ${show(v)}; tag values must be strings — quote it` });
        } else if (v.length > TAG_VALUE_MAX) {
            problems.push({ key: "tags", reason: `tag ${show(k)} value is ${v.length} characters; AWS allows at most ${TAG_VALUE_MAX}` });
        } else if (!TAG_PATTERN.test(v)) {
            problems.push({
                key: "tags",
                reason: `tag ${show(k)} value has characters AWS refuses; use letters, digits, spaces and _.:/=+-@`,
            });
        }
    }
    return problems;
}

export function validateReplicas(replicas: unknown, primaryRegion: string | undefined): SettingProblem[] {
    if (replicas === undefined || isUnknown(replicas)) return [];
    if (!Array.isArray(replicas)) {
        return [{ key: "replicas", reason: `replicas must be a list like [{ region: "eu-west-1" }], got ${show(replicas)}` }];
    }
    const problems: SettingProblem[] = [];
    const seen = new Set<string>();
    replicas.forEach((r, i) => {
        const key = `replicas[${i}]`;
        if (isUnknown(r)) return;
        if (typeof r !== "object" || r === null) {
            problems.push({ key, reason: `${key} must be an object like { region: "eu-west-1" }, got ${show(r)}` });
            return;
        }
        const replica = r as Record<string, unknown>;
        const region = replica.region;
        if (region === undefined) {
            problems.push({ key: `${key}.region`, reason: `${key}.region is missing — name the region to replicate to` });
        } else {
            problems.push(...validateRegion(`${key}.region`, region));
            if (typeof region === "string" && !isUnknown(region)) {
                if (seen.has(region)) {
                    problems.push({
                        key: `${key}.region`,
                        reason: `${key}.region ${show(region)} is listed twice — list each replica region once`,
                    });
                }
                if (region === primaryRegion) {
                    problems.push({
                        key: `${key}.region`,
                        reason: `${key}.region ${show(region)} is the secret's own region — a replica must be in another region`,
                    });
                }
                seen.add(region);
            }
        }
        problems.push(...validateKmsKey(`${key}.kmsKeyId`, replica.kmsKeyId));
        for (const extra of Object.keys(r).filter((k) => k !== "region" && k !== "kmsKeyId")) {
            problems.push({
                key: `${key}.${extra}`,
                reason: `${key} has unknown field ${show(extra)}; a replica takes region and kmsKeyId`,
            });
        }
    });
    return problems;
}

/** The stack's purgeTimeoutSeconds: unset is the default; else a whole number 0–3600 (parse.ts's grammar), or undefined. */
export function parsePurgeTimeoutSeconds(v: unknown): number | undefined {
    if (v === undefined || v === null) return PURGE_TIMEOUT_DEFAULT_SECONDS;
    return parseWholeNumber(v, 0, PURGE_TIMEOUT_MAX_SECONDS);
}

/** Problems in the stack's keys other than the deletion settings (policy.ts checks those); reported at preview. */
export function validateStackSettings(stack: StackSettings): SettingProblem[] {
    const problems: SettingProblem[] = [];
    if (parsePurgeTimeoutSeconds(stack.purgeTimeoutSeconds) === undefined) {
        problems.push({
            key: `${stack.project}:purgeTimeoutSeconds`,
            reason:
                `${stack.project}:purgeTimeoutSeconds is ${show(stack.purgeTimeoutSeconds)}, but it must be a whole number ` +
                `of seconds from 0 to ${PURGE_TIMEOUT_MAX_SECONDS} — run \`pulumi config set ${typedKey(stack.project, "purgeTimeoutSeconds")} 300\``,
        });
    }
    for (const p of [protectionProblem(stack), stackGuardProblem(stack)]) if (p) problems.push(p);
    problems.push(...validateRegion(regionKeyOf(stack), stack.aws?.region));
    problems.push(...parseStackAws(stack.aws).problems);
    problems.push(...validateStackKeyNames(stack));
    return problems;
}

/**
 * Keys of the provider's namespace one edit from a key it reads ("teardownProtecton"): set, such a key changes
 * nothing, so the protection it was meant to switch on would be off without a word. Other keys of the namespace are
 * the program's own and left alone.
 */
export function validateStackKeyNames(stack: StackSettings): SettingProblem[] {
    const known = STACK_KEYS.map((k) => k.key);
    return Object.entries(stack.unreadKeys ?? {}).flatMap(([key, value]) => {
        const meant = nearest(key, known, 1);
        if (meant === undefined) return [];
        const set = `pulumi config set ${typedKey(stack.project, meant)} ${value ?? "<value>"}`;
        return [
            {
                key: `${stack.project}:${key}`,
                reason:
                    `${stack.project}:${key} is not a key this provider reads — did you mean ${stack.project}:${meant}? As set it ` +
                    `changes nothing: run \`pulumi config rm ${typedKey(stack.project, key)}\` and \`${set}\``,
            },
        ];
    });
}

/** Every name a Secret's inputs may hold: the program's, and those the provider adds or has recorded in state. */
const KNOWN_INPUTS: ReadonlySet<string> = new Set<string>([...SECRET_INPUTS, ...PROVIDER_INPUTS]);

/**
 * Names a Secret does not take. Refused, not dropped: a misspelt forceDelete or recoveryWindowInDays would otherwise
 * leave the deletion policy to the stack without a word.
 */
export function validateInputNames(news: Record<string, unknown>): SettingProblem[] {
    return Object.keys(news)
        .filter((k) => !KNOWN_INPUTS.has(k))
        .map((k) => ({ key: k, reason: unknownInputReason(k, news[k]) }));
}

function unknownInputReason(name: string, value: unknown): string {
    if ((OUTPUT_ONLY as readonly string[]).includes(name))
        return `${name} is an output of a Secret, set from AWS, not an input — remove it`;
    // Only a value that cannot be a secret is shown: an unknown name may hold one ("secretStrng").
    const given = typeof value === "boolean" || typeof value === "number" ? `${name} (${value})` : name;
    const meant = nearest(name, SECRET_INPUTS, typoBudget(name));
    if (meant !== undefined) return `${given} is not an input of a Secret — did you mean ${meant}? Rename it to ${meant}`;
    return `${given} is not an input of a Secret, which takes ${SECRET_INPUTS.join(", ")} — rename or remove it`;
}

/** Problems in one Secret's inputs other than its deletion settings (policy.ts checks those). */
export function validateInputs(news: Record<string, unknown>, primaryRegion: string | undefined): SettingProblem[] {
    const problems: SettingProblem[] = validateInputNames(news);
    problems.push(...validateName(news.name));
    const guard = resourceGuardProblem(news);
    if (guard && !isUnknown(news.inUseGuardDays)) problems.push(guard);
    problems.push(...validateRegion("region", news.region));
    const d = news.description;
    if (d !== undefined && !isUnknown(d)) {
        if (typeof d !== "string") problems.push({ key: "description", reason: `description must be a string, got ${show(d)}` });
        else if (d.length > DESCRIPTION_MAX) {
            problems.push({ key: "description", reason: `description is ${d.length} characters; AWS allows at most ${DESCRIPTION_MAX}` });
        }
    }
    const s = news.secretString;
    if (s !== undefined && !isUnknown(s)) {
        // The value itself never appears in a message.
        if (typeof s !== "string")
            problems.push({ key: "secretString", reason: "secretString must be a string (use JSON.stringify for structured values)" });
        else if (Buffer.byteLength(s, "utf8") > SECRET_STRING_MAX_BYTES) {
            problems.push({
                key: "secretString",
                reason: `secretString is ${Buffer.byteLength(s, "utf8")} bytes; AWS allows at most ${SECRET_STRING_MAX_BYTES}`,
            });
        } else if (s.length === 0) {
            problems.push({
                key: "secretString",
                reason: "secretString is empty; AWS refuses an empty value — omit it to create a secret without a value",
            });
        }
    }
    problems.push(...validateGeneratedValue(news, isUnknown));
    problems.push(...validateKmsKey("kmsKeyId", news.kmsKeyId));
    problems.push(...validateTags(news.tags));
    problems.push(...validateReplicas(news.replicas, primaryRegion));
    const fo = news.forceOverwriteReplicaSecret;
    if (fo !== undefined && !isUnknown(fo) && typeof fo !== "boolean") {
        problems.push({ key: "forceOverwriteReplicaSecret", reason: `forceOverwriteReplicaSecret must be true or false, got ${show(fo)}` });
    }
    for (const key of ["adopt", "restoreIfScheduled"] as const) {
        const v = news[key];
        if (v !== undefined && !isUnknown(v) && typeof v !== "boolean") {
            problems.push({ key, reason: `${key} must be true or false, got ${show(v)}` });
        }
    }
    if (news.restoreIfScheduled === true && news.adopt !== true) {
        problems.push({
            key: "restoreIfScheduled",
            reason: "restoreIfScheduled takes effect only with adopt: true — set adopt: true as well, or drop it",
        });
    }
    const profile = news.profile;
    if (profile !== undefined && !isUnknown(profile) && (typeof profile !== "string" || profile.length === 0)) {
        problems.push({ key: "profile", reason: `profile must be the name of an AWS profile, got ${show(profile)}` });
    }
    if (news.assumeRole !== undefined && !isUnknown(news.assumeRole)) parseAssumeRole("assumeRole", news.assumeRole, problems);
    return problems;
}
