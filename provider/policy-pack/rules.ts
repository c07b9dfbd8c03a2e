// The policy pack's rules as pure functions: a Secret's inputs, the stack's name and configuration, and the rule's
// settings in; a violation message (undefined: none) out. policies.ts wires them to @pulumi/policy.
// A pack sees `pulumi preview` / `pulumi up` only — never `pulumi destroy` — so the rule that must also hold at destroy
// time (no force delete in protected stacks) is enforced by the provider through teardownProtection, and the pack
// requires protected stacks to turn it on.

import {
    DeletionPolicy,
    describePolicy,
    inUseGuardFor,
    parseStrictBoolean,
    policyFor,
    typedKey,
    StackDeletionSettings,
} from "../core/policy";
import { stackMatches, StackIdentity } from "../core/identity";

export interface ProtectedStacksSettings {
    /** Stacks under the rule, as patterns (see stackMatches). */
    protectedStacks: string[];
    /** Fewest days a destroyed secret must stay recoverable there (7–30). */
    minimumRecoveryWindowInDays: number;
}

export const PROTECTED_STACKS_DEFAULTS: ProtectedStacksSettings = {
    protectedStacks: ["prod", "prod-*", "production", "production-*"],
    minimumRecoveryWindowInDays: 7,
};

/** The namespace of the keys the configuration was read from: the plugin's, or the stack's project. */
const keysOf = (config: { project?: string }, stack: StackIdentity) => config.project ?? stack.project;

/** A Secret in a protected stack whose destroy would delete it without recovery, or with too short a window. */
export function recoveryWindowViolation(
    secret: { name: string; props: Record<string, unknown> },
    stack: StackIdentity,
    config: Omit<StackDeletionSettings, "project"> & { project?: string },
    settings: ProtectedStacksSettings,
): string | undefined {
    const pattern = stackMatches(stack, settings.protectedStacks);
    if (!pattern) return undefined;
    let policy: DeletionPolicy;
    try {
        policy = policyFor(secret.props, { ...config, project: stack.project });
    } catch {
        return undefined; // an invalid setting is refused by the provider's own check, with its own message
    }
    const where = `stack "${stack.name}" is protected (matches "${pattern}")`;
    if (policy.mode === "force") {
        const fix =
            policy.source === "resource"
                ? `remove forceDelete from Secret "${secret.name}" or give it recoveryWindowInDays: ${settings.minimumRecoveryWindowInDays}`
                : `run \`pulumi config rm ${typedKey(keysOf(config, stack), "forceDelete")}\``;
        return `Secret "${secret.name}" would be deleted without recovery (${describePolicy(policy)}), but ${where} — ${fix}.`;
    }
    if (policy.recoveryWindowInDays < settings.minimumRecoveryWindowInDays) {
        const fix =
            policy.source === "resource"
                ? `give Secret "${secret.name}" recoveryWindowInDays: ${settings.minimumRecoveryWindowInDays} or more`
                : `run \`pulumi config set ${typedKey(keysOf(config, stack), "recoveryWindowInDays")} ${settings.minimumRecoveryWindowInDays}\` (or more)`;
        return (
            `Secret "${secret.name}" would stay recoverable for ${policy.recoveryWindowInDays} days (${describePolicy(policy)}), ` +
            `but ${where} and needs at least ${settings.minimumRecoveryWindowInDays} — ${fix}.`
        );
    }
    return undefined;
}

/** A protected stack holding secrets without teardownProtection: its destroy (which no pack sees) could force-delete. */
export function teardownProtectionViolation(
    stack: StackIdentity,
    config: Omit<StackDeletionSettings, "project"> & { project?: string },
    settings: Pick<ProtectedStacksSettings, "protectedStacks">,
): string | undefined {
    const pattern = stackMatches(stack, settings.protectedStacks);
    if (!pattern || parseStrictBoolean(config.teardownProtection) === true) return undefined;
    return (
        `stack "${stack.name}" is protected (matches "${pattern}") but ${keysOf(config, stack)}:teardownProtection is not true, ` +
        "so a later `pulumi destroy` — which no policy pack sees — could delete its secrets without recovery " +
        `— run \`pulumi config set ${typedKey(keysOf(config, stack), "teardownProtection")} true\`.`
    );
}

export interface RequiredTagsSettings {
    /** Tag keys every Secret must carry, with a non-empty value. */
    requiredTags: string[];
}

export function missingTagsViolation(
    secret: { name: string; props: Record<string, unknown> },
    settings: RequiredTagsSettings,
): string | undefined {
    const tags = (secret.props.tags ?? {}) as Record<string, unknown>;
    const missing = settings.requiredTags.filter((k) => typeof tags[k] !== "string" || (tags[k] as string).trim() === "");
    if (missing.length === 0) return undefined;
    const example = missing.map((k) => `${JSON.stringify(k)}: "..."`).join(", ");
    return `Secret "${secret.name}" lacks the required tag${missing.length > 1 ? "s" : ""} ${missing.join(", ")} — add tags: { ${example} }.`;
}

export interface ReplicatedStacksSettings {
    /** Stacks whose secrets must be replicated, as patterns (see stackMatches). */
    replicatedStacks: string[];
    /** Fewest replica regions each Secret there must have. */
    minimumReplicas: number;
}

export const REPLICATED_STACKS_DEFAULTS: ReplicatedStacksSettings = { replicatedStacks: ["prod", "production"], minimumReplicas: 1 };

export function replicaViolation(
    secret: { name: string; props: Record<string, unknown> },
    stack: StackIdentity,
    settings: ReplicatedStacksSettings,
): string | undefined {
    const pattern = stackMatches(stack, settings.replicatedStacks);
    if (!pattern) return undefined;
    const replicas = Array.isArray(secret.props.replicas) ? secret.props.replicas.length : 0;
    if (replicas >= settings.minimumReplicas) return undefined;
    return (
        `Secret "${secret.name}" has ${replicas} replica region${replicas === 1 ? "" : "s"}, but stack "${stack.name}" ` +
        `(matches "${pattern}") needs at least ${settings.minimumReplicas} — add replicas: [{ region: "<another region>" }].`
    );
}

/** "org/project/stack" (the `stack` input since 0.2.0) → the identity; undefined otherwise (0.1.0 recorded a bare name). */
export function identityFromRecorded(recorded: unknown): StackIdentity | undefined {
    if (typeof recorded !== "string" || recorded === "") return undefined;
    const [, project, name, ...rest] = recorded.split("/");
    return project !== undefined && name !== undefined && rest.length === 0 ? { project, name } : undefined;
}

export interface InUseGuardSettings {
    /** Fewest days of the in-use guard a Secret deleted without recovery must have. */
    minimumInUseGuardDays: number;
}

export const IN_USE_GUARD_DEFAULTS: InUseGuardSettings = { minimumInUseGuardDays: 7 };

/** A Secret whose destroy would delete it without recovery while no in-use guard (or too short a one) checks AWS first. */
export function inUseGuardViolation(
    secret: { name: string; props: Record<string, unknown> },
    stack: StackIdentity,
    config: Omit<StackDeletionSettings, "project"> & { project?: string },
    settings: InUseGuardSettings,
): string | undefined {
    let policy: DeletionPolicy;
    try {
        policy = policyFor(secret.props, { ...config, project: stack.project });
    } catch {
        return undefined; // refused by the provider's own check, with its own message
    }
    if (policy.mode !== "force") return undefined;
    const guard = inUseGuardFor(secret.props, config);
    if (guard.days >= settings.minimumInUseGuardDays) return undefined;
    const has = guard.days === 0 ? "no in-use guard" : `an in-use guard of ${guard.days} days`;
    return (
        `Secret "${secret.name}" would be deleted without recovery (${describePolicy(policy)}) with ${has}: a secret an application still reads ` +
        `would be gone for good — run \`pulumi config set ${typedKey(keysOf(config, stack), "inUseGuardDays")} ${settings.minimumInUseGuardDays}\` (or give the Secret inUseGuardDays).`
    );
}

/**
 * Why the stack counts as protected for the generated-value rule, or undefined: it matches one of the pack's
 * protectedStacks patterns, or it sets teardownProtection (the provider's own notion of a protected stack).
 */
function protectedBecause(
    stack: StackIdentity,
    config: { teardownProtection?: unknown; project?: string },
    settings: Pick<ProtectedStacksSettings, "protectedStacks">,
): string | undefined {
    const pattern = stackMatches(stack, settings.protectedStacks);
    if (pattern) return `matches "${pattern}"`;
    if (parseStrictBoolean(config.teardownProtection) === true) return `${keysOf(config, stack)}:teardownProtection is true`;
    return undefined;
}

/**
 * A Secret in a protected stack whose value the program gives (secretString): that value passes through the program
 * and sits in state, encrypted, where a generated one (generateSecretString) never does. Advisory: a value the
 * program must know, such as a third-party API key, has to stay in secretString.
 */
export function generatedValueViolation(
    secret: { name: string; props: Record<string, unknown> },
    stack: StackIdentity,
    config: { teardownProtection?: unknown; project?: string },
    settings: Pick<ProtectedStacksSettings, "protectedStacks">,
): string | undefined {
    if (secret.props.secretString === undefined || secret.props.generateSecretString !== undefined) return undefined;
    const because = protectedBecause(stack, config, settings);
    if (!because) return undefined;
    return (
        `Secret "${secret.name}" takes its value from secretString, so the value passes through the program and is kept in ` +
        `state (encrypted), but stack "${stack.name}" is protected (${because}) — if the program need not know the value, ` +
        `replace secretString with generateSecretString: { passwordLength: 32 } (AWS generates it; change generation to ` +
        `rotate it); a value the program must know, such as a third-party API key, stays in secretString.`
    );
}
