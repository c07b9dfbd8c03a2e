// Pure mapping of deletion settings (resource inputs and stack configuration) onto DeleteSecret.
// No AWS or Pulumi imports: this is the part of teardown that must be obviously right.

import { PLUGIN_NAMESPACE } from "./identity";
import { describeValue, parseWholeNumber } from "./parse";

/** AWS's own window when DeleteSecret names neither RecoveryWindowInDays nor ForceDeleteWithoutRecovery. */
export const AWS_DEFAULT_RECOVERY_WINDOW_DAYS = 30;
export const MIN_RECOVERY_WINDOW_DAYS = 7;
export const MAX_RECOVERY_WINDOW_DAYS = 30;
/** The longest in-use guard: a year. */
export const IN_USE_GUARD_MAX_DAYS = 365;
/** "from 7 to 30", as messages say it. */
export const WINDOW_RANGE = `from ${MIN_RECOVERY_WINDOW_DAYS} to ${MAX_RECOVERY_WINDOW_DAYS}`;

/**
 * A stack key as a fix tells the user to type it after `pulumi config set`: bare for the dynamic provider (its keys
 * live in the project's namespace, the CLI's default), with its namespace for the plugin's.
 */
export function typedKey(namespace: string | undefined, key: string): string {
    return namespace === PLUGIN_NAMESPACE ? `${namespace}:${key}` : key;
}

/** Where a setting was found; resource inputs win over stack configuration, which wins over AWS's default. */
export type PolicyLevel = "resource" | "stack";

// One vocabulary: "settings" are keys as the user wrote them (unvalidated: configuration arrives as strings), each
// type below the one before plus the keys of a wider scope; "valid" settings are the same keys after validation.

/** The deletion keys at one level (a Secret's inputs, or the stack's configuration). */
export interface DeletionSettings {
    recoveryWindowInDays?: unknown;
    forceDelete?: unknown;
}

/** The stack's keys that decide a delete: the deletion keys at stack level, and the guards on them. */
export interface StackDeletionSettings extends DeletionSettings {
    project: string;
    teardownProtection?: unknown;
    inUseGuardDays?: unknown;
}

/** Deletion keys at one level after validation. */
export interface ValidDeletionSettings {
    recoveryWindowInDays?: number;
    forceDelete?: boolean;
}

export type DeletionPolicy =
    | { readonly mode: "force"; readonly source: PolicyLevel }
    | { readonly mode: "window"; readonly recoveryWindowInDays: number; readonly source: PolicyLevel | "aws-default" };

/** A rejected setting: `key` is the property or configuration key as the user wrote it. */
export interface SettingProblem {
    readonly key: string;
    readonly reason: string;
}

/** How each level names its keys in messages, and how to fix them there. */
interface LevelNames {
    windowKey: string;
    forceKey: string;
    fixWindow: string;
    fixForce: string;
    fixConflict: string;
}

export function levelNames(level: PolicyLevel, project = "<project>"): LevelNames {
    if (level === "resource") {
        return {
            windowKey: "recoveryWindowInDays",
            forceKey: "forceDelete",
            fixWindow: `set the Secret's recoveryWindowInDays to a whole number of days ${WINDOW_RANGE}`,
            fixForce: "set the Secret's forceDelete to true or false",
            fixConflict: "set only one of the Secret's recoveryWindowInDays and forceDelete",
        };
    }
    return {
        windowKey: `${project}:recoveryWindowInDays`,
        forceKey: `${project}:forceDelete`,
        fixWindow: `run \`pulumi config set ${typedKey(project, "recoveryWindowInDays")} ${MIN_RECOVERY_WINDOW_DAYS}\` (any whole number ${WINDOW_RANGE})`,
        fixForce: `run \`pulumi config set ${typedKey(project, "forceDelete")} true\` (or false)`,
        fixConflict: `keep only one: \`pulumi config rm ${typedKey(project, "forceDelete")}\` or \`pulumi config rm ${typedKey(project, "recoveryWindowInDays")}\``,
    };
}

/** Accepts exactly true/false (booleans, or the strings stack configuration delivers): forceDelete, teardownProtection. */
export function parseStrictBoolean(v: unknown): boolean | undefined {
    if (v === true || v === "true") return true;
    if (v === false || v === "false") return false;
    return undefined;
}

/** A whole number of days 7–30 (parse.ts's grammar), or undefined for anything else. */
export function parseRecoveryWindow(v: unknown): number | undefined {
    return parseWholeNumber(v, MIN_RECOVERY_WINDOW_DAYS, MAX_RECOVERY_WINDOW_DAYS);
}

/** A whole number of days 0–365 (0: the guard is off; parse.ts's grammar), or undefined for anything else. */
export function parseGuardDays(v: unknown): number | undefined {
    return parseWholeNumber(v, 0, IN_USE_GUARD_MAX_DAYS);
}

/** The in-use guard in force for a secret: its own inUseGuardDays over the stack's (invalid values refuse elsewhere). */
export interface InUseGuard {
    readonly days: number;
    readonly source: PolicyLevel | "off";
    /** The namespace of the stack's keys, for the fixes a refusal names. */
    readonly project?: string | undefined;
}

export function inUseGuardFor(resource: { inUseGuardDays?: unknown }, stack: { inUseGuardDays?: unknown; project?: string }): InUseGuard {
    const project = stack.project;
    const own = parseGuardDays(resource.inUseGuardDays);
    if (resource.inUseGuardDays !== undefined && own !== undefined) return { days: own, source: "resource", project };
    const stacks = parseGuardDays(stack.inUseGuardDays);
    if (stacks !== undefined && stacks > 0) return { days: stacks, source: "stack", project };
    return { days: 0, source: "off", project };
}

const isSet = (v: unknown) => v !== undefined && v !== null;

/** The stack's teardownProtection, if set to anything but exactly true or false: the one check preview and destroy share. */
export function protectionProblem(stack: { project: string; teardownProtection?: unknown }): SettingProblem | undefined {
    const v = stack.teardownProtection;
    if (!isSet(v) || parseStrictBoolean(v) !== undefined) return undefined;
    return {
        key: `${stack.project}:teardownProtection`,
        reason: `${stack.project}:teardownProtection is ${describeValue(v)}, but only true or false is accepted — run \`pulumi config set ${typedKey(stack.project, "teardownProtection")} true\` (or false)`,
    };
}

/** The stack's inUseGuardDays, if set to anything but a whole number of days 0–365 (shared by preview and destroy). */
export function stackGuardProblem(stack: { project: string; inUseGuardDays?: unknown }): SettingProblem | undefined {
    const v = stack.inUseGuardDays;
    if (!isSet(v) || parseGuardDays(v) !== undefined) return undefined;
    return {
        key: `${stack.project}:inUseGuardDays`,
        reason:
            `${stack.project}:inUseGuardDays is ${describeValue(v)}, but it must be a whole number of days from 0 (off) to ` +
            `${IN_USE_GUARD_MAX_DAYS} — run \`pulumi config set ${typedKey(stack.project, "inUseGuardDays")} 7\``,
    };
}

/** A Secret's own inUseGuardDays, if set to anything but a whole number of days 0–365 (shared by preview and destroy). */
export function resourceGuardProblem(resource: { inUseGuardDays?: unknown }): SettingProblem | undefined {
    const v = resource.inUseGuardDays;
    if (!isSet(v) || (typeof v === "number" && parseGuardDays(v) !== undefined)) return undefined;
    return {
        key: "inUseGuardDays",
        reason: `inUseGuardDays is ${describeValue(v)}, but it must be a whole number of days from 0 (off) to ${IN_USE_GUARD_MAX_DAYS}`,
    };
}

/**
 * The guards on a delete without recovery that hold a value no validator accepts. Such a guard is never read as "off":
 * the delete is refused, naming the key, the value and the fix.
 */
function invalidGuards(resource: { inUseGuardDays?: unknown }, stack: StackDeletionSettings): SettingProblem[] {
    return [protectionProblem(stack), resourceGuardProblem(resource), stackGuardProblem(stack)].filter(
        (p): p is SettingProblem => p !== undefined,
    );
}

/** Validates one level's settings. A level with any problem yields no settings, so nothing falls through. */
export function validateSettings(
    raw: DeletionSettings,
    level: PolicyLevel,
    project?: string,
): { settings?: ValidDeletionSettings; problems: SettingProblem[] } {
    const names = levelNames(level, project);
    const problems: SettingProblem[] = [];
    const settings: ValidDeletionSettings = {};
    // Pulumi.yaml must give optional project keys a default; the stack's default 0 stands for "not set".
    const unsetWindow = level === "stack" && (raw.recoveryWindowInDays === 0 || raw.recoveryWindowInDays === "0");
    const hasWindow = raw.recoveryWindowInDays !== undefined && raw.recoveryWindowInDays !== null && !unsetWindow;
    const hasForce = raw.forceDelete !== undefined && raw.forceDelete !== null;

    if (hasWindow) {
        const days = parseRecoveryWindow(raw.recoveryWindowInDays);
        if (days === undefined) {
            problems.push({
                key: names.windowKey,
                reason:
                    `${names.windowKey} is ${describeValue(raw.recoveryWindowInDays)}, but AWS accepts only a whole ` +
                    `number of days ${WINDOW_RANGE} — ${names.fixWindow}`,
            });
        } else {
            settings.recoveryWindowInDays = days;
        }
    }
    if (hasForce) {
        const force = parseStrictBoolean(raw.forceDelete);
        if (force === undefined) {
            problems.push({
                key: names.forceKey,
                reason:
                    `${names.forceKey} is ${describeValue(raw.forceDelete)}, but only true or false is accepted ` +
                    `(a typo must not decide whether a secret is recoverable) — ${names.fixForce}`,
            });
        } else {
            settings.forceDelete = force;
        }
    }
    // forceDelete: false agrees with a window; only a force delete and a window contradict each other.
    if (hasWindow && hasForce && parseStrictBoolean(raw.forceDelete) !== false) {
        problems.push({
            key: names.forceKey,
            reason:
                `${names.windowKey} is ${describeValue(raw.recoveryWindowInDays)} and ${names.forceKey} is ${describeValue(raw.forceDelete)}: ` +
                `a recovery window and a delete without recovery contradict each other (DeleteSecret cannot take both) — ${names.fixConflict}`,
        });
    }
    return problems.length ? { problems } : { settings, problems };
}

/**
 * Resolves the policy: the first level (resource, then stack) that says anything decides the mode;
 * `forceDelete: false` there means "keep a window", whose length comes from the first level that sets one.
 */
export function resolveDeletionPolicy(resource: ValidDeletionSettings, stack: ValidDeletionSettings): DeletionPolicy {
    const levels: [PolicyLevel, ValidDeletionSettings][] = [
        ["resource", resource],
        ["stack", stack],
    ];
    const windowLevel = levels.find(([, s]) => s.recoveryWindowInDays !== undefined);
    const window = (): DeletionPolicy =>
        windowLevel
            ? { mode: "window", recoveryWindowInDays: windowLevel[1].recoveryWindowInDays!, source: windowLevel[0] }
            : { mode: "window", recoveryWindowInDays: AWS_DEFAULT_RECOVERY_WINDOW_DAYS, source: "aws-default" };

    for (const [level, s] of levels) {
        if (s.forceDelete === true) return { mode: "force", source: level };
        if (s.forceDelete === false || s.recoveryWindowInDays !== undefined) return window();
    }
    return window();
}

/** The DeleteSecret parameters for a policy: always exactly one of the two, never both. */
export function deleteSecretParameters(policy: DeletionPolicy): { ForceDeleteWithoutRecovery: true } | { RecoveryWindowInDays: number } {
    return policy.mode === "force" ? { ForceDeleteWithoutRecovery: true } : { RecoveryWindowInDays: policy.recoveryWindowInDays };
}

/** Where the policy came from, in words. */
export function policySource(policy: DeletionPolicy): string {
    return { resource: "resource input", stack: "stack config", "aws-default": "AWS default" }[policy.source];
}

/** One line for previews and logs, e.g. "recovery window of 7 days (stack config)". */
export function describePolicy(policy: DeletionPolicy): string {
    const from = policySource(policy);
    return policy.mode === "force"
        ? `force delete without recovery (${from})`
        : `recovery window of ${policy.recoveryWindowInDays} days (${from})`;
}

/** The policy as the deletionPolicy output stores it, with the line `pulumi preview` shows. */
export type DeletionPolicyOutput = DeletionPolicy & { readonly description: string };

/**
 * The policy for a resource, from its own inputs and the stack configuration. Invalid settings throw:
 * a bad value must stop a destroy, never fall through to a different kind of delete.
 */
export function policyFor(resource: DeletionSettings, stack: StackDeletionSettings): DeletionPolicy {
    const { policy, problems } = settingsPolicy(resource, stack);
    if (!policy) throw new Error(problems.map((p) => p.reason).join("; "));
    return policy;
}

/** Both levels validated once each, and the policy they give when both are valid. */
function settingsPolicy(
    resource: DeletionSettings | undefined,
    stack: StackDeletionSettings,
): { policy?: DeletionPolicy; problems: SettingProblem[] } {
    const stackLevel = validateSettings(stack, "stack", stack.project);
    const resourceLevel = resource ? validateSettings(resource, "resource") : { problems: [] };
    const problems = [...resourceLevel.problems, ...stackLevel.problems];
    return problems.length || !resource
        ? { problems }
        : { policy: resolveDeletionPolicy(resourceLevel.settings!, stackLevel.settings!), problems };
}

/**
 * What `check` reports about deletion: each level's settings validated once, and a force delete refused in a stack
 * under teardown protection. `resource` is undefined while its settings are not known (a preview of unknown values).
 */
export function checkDeletionSettings(
    resource: DeletionSettings | undefined,
    stack: StackDeletionSettings,
): { policy?: DeletionPolicy | undefined; problems: SettingProblem[] } {
    const { policy, problems } = settingsPolicy(resource, stack);
    const refusal = policy && protectionRefusal(policy, stack);
    if (!refusal) return { policy, problems };
    return { problems: [{ key: policy.source === "resource" ? "forceDelete" : `${stack.project}:teardownProtection`, reason: refusal }] };
}

export function policyOutput(policy: DeletionPolicy): DeletionPolicyOutput {
    return { ...policy, description: describePolicy(policy) };
}

/**
 * Why a policy may not be applied in a stack under teardown protection (undefined: it may). Only a delete without
 * recovery is refused; a window of any length is allowed.
 */
export function protectionRefusal(policy: DeletionPolicy, stack: { project: string; teardownProtection?: unknown }): string | undefined {
    if (parseStrictBoolean(stack.teardownProtection) !== true || policy.mode !== "force") return undefined;
    const change =
        policy.source === "resource"
            ? "remove the Secret's forceDelete (or set a recoveryWindowInDays on it)"
            : `run \`pulumi config rm ${typedKey(stack.project, "forceDelete")}\``;
    return (
        `${stack.project}:teardownProtection is true, ${PROTECTION_REFUSAL}, ` +
        `but the policy is ${describePolicy(policy)} — ${change} to keep a recovery window, or, to tear this stack down ` +
        `for good, run \`pulumi config set ${typedKey(stack.project, "teardownProtection")} false\` first`
    );
}

/** The words every teardown-protection refusal carries. */
const PROTECTION_REFUSAL = "so secrets of this stack may not be deleted without recovery";

/** What delete learnt about the stack's configuration as it is when the destroy runs (see destroy-config.ts). */
export type CurrentConfigRead =
    | {
          readonly ok: true;
          readonly stack: StackDeletionSettings;
          readonly note?: string | undefined;
          /** Where it was read: the CLI (the default), or the environment of a teardown's destroy. */
          readonly source?: "current" | "teardown";
      }
    | { readonly ok: false; readonly problem: string };

/** Which configuration decided a delete's policy. */
export type ConfigSource =
    /** The stack's configuration as it is when the destroy runs (read from the CLI). */
    | "current"
    /** The teardown's policy (its --force-delete or --recovery-window over the stack's configuration as it is now). */
    | "teardown"
    /** The configuration recorded at the last `pulumi up` (the current one could not be read). */
    | "recorded"
    /** The configuration the provider was configured with (no stack recorded in state, or a direct call). */
    | "configured";

/** What a delete is to do, decided once before any AWS call (pure). A refusal deletes nothing. */
export type DestroyDecision =
    | {
          readonly kind: "delete";
          readonly policy: DeletionPolicy;
          /** Applies to a delete without recovery only. */
          readonly inUseGuard: InUseGuard;
          readonly configSource: ConfigSource;
          readonly note?: string | undefined;
      }
    | { readonly kind: "refuse"; readonly reason: string; readonly fix?: string | undefined };

/**
 * The decision for one secret's delete: resource inputs over the stack's configuration, teardown protection, and the
 * rule for a configuration that could not be read. With `current` undefined the given configuration is used as it
 * is. Otherwise the current one when it could be read; else the one recorded at the last `pulumi up` — but only for
 * a delete that keeps a window: a force delete decided by recorded stack configuration is refused, since the user
 * may have changed that setting since.
 */
export function destroyDecision(
    resource: DeletionSettings & { inUseGuardDays?: unknown },
    recorded: StackDeletionSettings,
    current?: CurrentConfigRead,
): DestroyDecision {
    const stack = current?.ok ? current.stack : recorded;
    const configSource: ConfigSource = current === undefined ? "configured" : current.ok ? (current.source ?? "current") : "recorded";
    const { policy, problems } = settingsPolicy(resource, stack);
    if (!policy) return { kind: "refuse", reason: problems.map((p) => p.reason).join("; ") };
    const guards = policy.mode === "force" ? invalidGuards(resource, stack) : [];
    if (guards.length) {
        return {
            kind: "refuse",
            reason: `the policy is ${describePolicy(policy)}, but a setting that guards it is invalid: ${guards.map((p) => p.reason).join("; ")}`,
        };
    }
    const refusal = protectionRefusal(policy, stack);
    if (refusal) return { kind: "refuse", reason: refusal };
    const inUseGuard = inUseGuardFor(resource, stack);
    if (current === undefined) return { kind: "delete", policy, inUseGuard, configSource };
    if (current.ok) return { kind: "delete", policy, inUseGuard, configSource, ...(current.note ? { note: current.note } : {}) };
    if (policy.mode === "force" && policy.source === "stack") {
        return {
            kind: "refuse",
            reason:
                `could not read the stack's current configuration (${current.problem}), and the configuration recorded at ` +
                "the last `pulumi up` says force delete",
            fix: `run the destroy with the \`pulumi\` CLI on PATH (or PULUMI_SAFE_SECRET_CLI pointing to it), or set the Secret's forceDelete input`,
        };
    }
    return {
        kind: "delete",
        policy,
        inUseGuard,
        configSource,
        note: `could not read the stack's current configuration (${current.problem}); using the configuration recorded at the last \`pulumi up\``,
    };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Why a delete without recovery must wait: AWS reports the secret accessed within the guard's days (undefined: go). */
export function inUseRefusal(name: string, lastAccessed: Date | undefined, guard: InUseGuard, now: number): string | undefined {
    const why = inUseReason(name, lastAccessed, guard, now);
    return why && `nothing was deleted: ${why}`;
}

/** The in-use guard's reason alone, for a warning before any delete is tried (undefined: the guard lets it go). */
export function inUseReason(name: string, lastAccessed: Date | undefined, guard: InUseGuard, now: number): string | undefined {
    if (guard.days === 0 || !lastAccessed || now - lastAccessed.getTime() >= guard.days * DAY_MS) return undefined;
    const day = lastAccessed.toISOString().slice(0, 10);
    const until = new Date(lastAccessed.getTime() + guard.days * DAY_MS).toISOString().slice(0, 10);
    const key = guard.source === "resource" ? "the Secret's inUseGuardDays" : "the stack's inUseGuardDays";
    const lower =
        guard.source === "resource"
            ? "lower the Secret's inUseGuardDays"
            : `lower the bound (\`pulumi config set ${typedKey(guard.project, "inUseGuardDays")} 0\` turns it off)`;
    return (
        `AWS reports ${name} last accessed on ${day}, within the last ${guard.days} days (${key}), ` +
        `and a delete without recovery cannot be undone — wait until ${until}, keep a recovery window ` +
        `(\`pulumi config rm ${typedKey(guard.project, "forceDelete")}\`, or the Secret's recoveryWindowInDays), or ${lower}`
    );
}
