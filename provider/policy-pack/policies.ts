// The CrossGuard policies for Secrets (rules.ts), each configurable with `--policy-pack-config`. The ready-made pack
// in the package's policy-pack/ folder uses them as they are; a platform team's own pack can include them:
//   new PolicyPack("platform", { policies: [...secretPolicies(), ...ourOwn] });
// Loaded only by policy packs: the provider itself never imports @pulumi/policy.

import * as pulumi from "@pulumi/pulumi";
import type { EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

import {
    generatedValueViolation,
    identityFromRecorded,
    IN_USE_GUARD_DEFAULTS,
    InUseGuardSettings,
    inUseGuardViolation,
    missingTagsViolation,
    PROTECTED_STACKS_DEFAULTS,
    ProtectedStacksSettings,
    recoveryWindowViolation,
    replicaViolation,
    REPLICATED_STACKS_DEFAULTS,
    ReplicatedStacksSettings,
    RequiredTagsSettings,
    teardownProtectionViolation,
} from "./rules";
import { readStackSettings } from "../core/stack-keys";

import type { StackDeletionSettings } from "../core/policy";
import { StackIdentity, isSecretType, keyNamespace } from "../core/identity";

export const POLICY_NAMES = {
    recoveryWindow: "secrets-keep-recovery-window-in-protected-stacks",
    teardownProtection: "protected-stacks-enable-teardown-protection",
    requiredTags: "secrets-carry-required-tags",
    replicas: "secrets-replicated-in-named-stacks",
    inUseGuard: "secrets-guard-use-before-force-delete",
    generatedValues: "secrets-use-generated-values-in-protected-stacks",
} as const;

export interface SecretPolicyLevels {
    recoveryWindow?: EnforcementLevel;
    teardownProtection?: EnforcementLevel;
    requiredTags?: EnforcementLevel;
    replicas?: EnforcementLevel;
    inUseGuard?: EnforcementLevel;
    generatedValues?: EnforcementLevel;
}

const stackPatterns = (defaults: string[], what: string) => ({
    type: "array" as const,
    items: { type: "string" as const },
    default: defaults,
    description: `${what}: stack names, or "project/stack", with * and ? wildcards.`,
});

/**
 * The stack a Secret belongs to. Its `stack` input records it ("org/project/stack"); the engine's own identity
 * (PULUMI_NODEJS_STACK, set by the language host) is the fallback.
 */
function stackOf(props: Record<string, unknown> | undefined): StackIdentity {
    return identityFromRecorded(props?.stack) ?? { name: pulumi.getStack(), project: pulumi.getProject() };
}

/** The stack's deletion keys, from the configuration the engine handed the pack (PULUMI_CONFIG), read as the provider reads them. */
function stackConfig(project: string): StackDeletionSettings {
    return readStackSettings((key) => pulumi.runtime.getConfig(key), project);
}

export function secretPolicies(levels: SecretPolicyLevels = {}): (ResourceValidationPolicy | StackValidationPolicy)[] {
    return [
        {
            name: POLICY_NAMES.recoveryWindow,
            description:
                "In protected stacks a destroy must keep secrets recoverable: no force delete, and at least the minimum recovery window.",
            enforcementLevel: levels.recoveryWindow ?? "mandatory",
            configSchema: {
                properties: {
                    protectedStacks: stackPatterns(PROTECTED_STACKS_DEFAULTS.protectedStacks, "Protected stacks"),
                    minimumRecoveryWindowInDays: {
                        type: "integer",
                        minimum: 7,
                        maximum: 30,
                        default: PROTECTED_STACKS_DEFAULTS.minimumRecoveryWindowInDays,
                        description: "Fewest days a destroyed secret stays recoverable in a protected stack.",
                    },
                },
            },
            validateResource: (args, report) => {
                if (!isSecretType(args.type)) return;
                const stack = stackOf(args.props);
                const v = recoveryWindowViolation(
                    args,
                    stack,
                    stackConfig(keyNamespace(args.type, stack.project)),
                    args.getConfig<ProtectedStacksSettings>(),
                );
                if (v) report(v);
            },
        },
        {
            name: POLICY_NAMES.teardownProtection,
            description:
                "Protected stacks holding secrets must set teardownProtection, so that `pulumi destroy` (which no policy pack sees) refuses force deletes too.",
            enforcementLevel: levels.teardownProtection ?? "mandatory",
            configSchema: {
                properties: { protectedStacks: stackPatterns(PROTECTED_STACKS_DEFAULTS.protectedStacks, "Protected stacks") },
            },
            validateStack: (args, report) => {
                const secrets = args.resources.filter((r) => isSecretType(r.type));
                const first = secrets[0];
                if (!first) return;
                const stack = stackOf(first.props);
                const v = teardownProtectionViolation(
                    stack,
                    stackConfig(keyNamespace(first.type, stack.project)),
                    args.getConfig<ProtectedStacksSettings>(),
                );
                if (v)
                    report(`${v} (${secrets.length} secret${secrets.length === 1 ? "" : "s"}: ${secrets.map((s) => s.name).join(", ")})`);
            },
        },
        {
            name: POLICY_NAMES.requiredTags,
            description: "Every Secret carries the required tags (e.g. owner, cost centre) with non-empty values.",
            enforcementLevel: levels.requiredTags ?? "advisory",
            configSchema: {
                properties: {
                    requiredTags: {
                        type: "array",
                        items: { type: "string" },
                        default: [],
                        description: "Tag keys every Secret must carry.",
                    },
                },
            },
            validateResource: (args, report) => {
                if (!isSecretType(args.type)) return;
                const v = missingTagsViolation(args, args.getConfig<RequiredTagsSettings>());
                if (v) report(v);
            },
        },
        {
            name: POLICY_NAMES.replicas,
            description: "In the named stacks every Secret is replicated to at least the given number of other regions.",
            enforcementLevel: levels.replicas ?? "advisory",
            configSchema: {
                properties: {
                    replicatedStacks: stackPatterns(REPLICATED_STACKS_DEFAULTS.replicatedStacks, "Stacks whose secrets must be replicated"),
                    minimumReplicas: {
                        type: "integer",
                        minimum: 1,
                        default: REPLICATED_STACKS_DEFAULTS.minimumReplicas,
                        description: "Fewest replica regions.",
                    },
                },
            },
            validateResource: (args, report) => {
                if (!isSecretType(args.type)) return;
                const v = replicaViolation(args, stackOf(args.props), args.getConfig<ReplicatedStacksSettings>());
                if (v) report(v);
            },
        },
        {
            name: POLICY_NAMES.inUseGuard,
            description: "A Secret deleted without recovery has an in-use guard: AWS's LastAccessedDate is checked before it goes.",
            // Off unless a team opts in: review stacks are deleted without recovery while their app still reads the
            // secrets, and the guard is off by default for them (README, "In-use guard").
            enforcementLevel: levels.inUseGuard ?? "disabled",
            configSchema: {
                properties: {
                    minimumInUseGuardDays: {
                        type: "integer",
                        minimum: 1,
                        default: IN_USE_GUARD_DEFAULTS.minimumInUseGuardDays,
                        description: "Fewest days of inUseGuardDays for a Secret deleted without recovery.",
                    },
                },
            },
            validateResource: (args, report) => {
                if (!isSecretType(args.type)) return;
                const stack = stackOf(args.props);
                const v = inUseGuardViolation(
                    args,
                    stack,
                    stackConfig(keyNamespace(args.type, stack.project)),
                    args.getConfig<InUseGuardSettings>(),
                );
                if (v) report(v);
            },
        },
        {
            name: POLICY_NAMES.generatedValues,
            description:
                "In protected stacks a Secret's value is generated by AWS (generateSecretString), not given by the program (secretString), so that it is never in the program or the state.",
            // Off unless a team opts in (advisory is the intended level): a value the program must know, such as a
            // third-party API key, has no generated form, so the rule cannot tell a choice from an oversight.
            enforcementLevel: levels.generatedValues ?? "disabled",
            configSchema: {
                properties: { protectedStacks: stackPatterns(PROTECTED_STACKS_DEFAULTS.protectedStacks, "Protected stacks") },
            },
            validateResource: (args, report) => {
                if (!isSecretType(args.type)) return;
                const stack = stackOf(args.props);
                const v = generatedValueViolation(
                    args,
                    stack,
                    stackConfig(keyNamespace(args.type, stack.project)),
                    args.getConfig<ProtectedStacksSettings>(),
                );
                if (v) report(v);
            },
        },
    ];
}
