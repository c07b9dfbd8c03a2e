// The stack configuration keys this provider reads: one table, from which the reader below, the validation and the
// `config:` blocks of every Pulumi.yaml in this repository come (tests/unit/stack-config.test.ts keeps them equal).

import { AWS_DEFAULT_RECOVERY_WINDOW_DAYS, IN_USE_GUARD_MAX_DAYS, MAX_RECOVERY_WINDOW_DAYS, MIN_RECOVERY_WINDOW_DAYS } from "./policy";
import { StackSettings } from "./types";
import { PLUGIN_NAMESPACE } from "./identity";

export interface StackKey {
    /** Key without the project namespace, as in `pulumi config set <key>`. */
    readonly key: "recoveryWindowInDays" | "forceDelete" | "purgeTimeoutSeconds" | "teardownProtection" | "inUseGuardDays";
    readonly type: "integer" | "boolean";
    /** Pulumi treats a declared project key without a default as required, so each has one meaning "not set". */
    readonly default: number | boolean;
    readonly description: string;
}

export const PURGE_TIMEOUT_DEFAULT_SECONDS = 300;
export const PURGE_TIMEOUT_MAX_SECONDS = 3600;

export const STACK_KEYS: readonly StackKey[] = [
    {
        key: "recoveryWindowInDays",
        type: "integer",
        default: 0,
        description:
            `Days (${MIN_RECOVERY_WINDOW_DAYS}–${MAX_RECOVERY_WINDOW_DAYS}) a destroyed secret stays recoverable; 0 (the default) leaves AWS's ${AWS_DEFAULT_RECOVERY_WINDOW_DAYS} days. ` +
            "Cannot be combined with forceDelete true. A Secret's own recoveryWindowInDays/forceDelete input wins.",
    },
    {
        key: "forceDelete",
        type: "boolean",
        default: false,
        description:
            "true: `pulumi destroy` deletes secrets at once, without recovery (ephemeral stacks). Exactly true or false. " +
            "Cannot be set together with recoveryWindowInDays. Read when the destroy runs, not when the stack was last updated.",
    },
    {
        key: "purgeTimeoutSeconds",
        type: "integer",
        default: PURGE_TIMEOUT_DEFAULT_SECONDS,
        description:
            `How long (0–${PURGE_TIMEOUT_MAX_SECONDS} s, default ${PURGE_TIMEOUT_DEFAULT_SECONDS}) to wait for AWS to purge ` +
            "a force-deleted name before a create with the same name gives up.",
    },
    {
        key: "teardownProtection",
        type: "boolean",
        default: false,
        description:
            "true: no secret of this stack may be deleted without recovery. A force delete (the stack's forceDelete or a " +
            "Secret's) is refused at preview and at destroy, before any AWS call. Read when the destroy runs.",
    },
    {
        key: "inUseGuardDays",
        type: "integer",
        default: 0,
        description:
            `A delete without recovery is refused for a secret AWS reports as accessed within this many days (0, the default, ` +
            `turns the guard off; at most ${IN_USE_GUARD_MAX_DAYS}). Read when the destroy runs. A Secret's own inUseGuardDays wins.`,
    },
];

/** The `config:` block a Pulumi.yaml declares for these keys. */
export function projectConfigSchema(): Record<string, { type: string; default: number | boolean; description: string }> {
    return Object.fromEntries(STACK_KEYS.map((k) => [k.key, { type: k.type, default: k.default, description: k.description }]));
}

/**
 * Reads the keys from a lookup of fully qualified names ("project:key", "aws:region"). Used by `configure` (the
 * engine's config) and by the destroy-time read (`pulumi config --json`), so both see the same keys the same way.
 * Values stay raw (strings or JSON text); validation says what is wrong with them. `allKeys`, every fully qualified
 * key set, lets validation find a misspelt key among the namespace's others.
 */
export function readStackSettings(
    get: (fullKey: string) => string | undefined,
    project: string,
    allKeys?: readonly string[],
): StackSettings {
    return {
        project,
        recoveryWindowInDays: get(`${project}:recoveryWindowInDays`),
        forceDelete: get(`${project}:forceDelete`),
        purgeTimeoutSeconds: get(`${project}:purgeTimeoutSeconds`),
        teardownProtection: get(`${project}:teardownProtection`),
        inUseGuardDays: get(`${project}:inUseGuardDays`),
        ...(allKeys ? { unreadKeys: unreadKeys(get, project, allKeys) } : {}),
        aws: {
            region: get("aws:region"),
            profile: get("aws:profile"),
            // @pulumi/aws v7 takes a list (assumeRoles); v6 a single object (assumeRole).
            assumeRoles: get("aws:assumeRoles") ?? wrapList(get("aws:assumeRole")),
            endpoints: get("aws:endpoints"),
        },
    };
}

function unreadKeys(get: (fullKey: string) => string | undefined, project: string, allKeys: readonly string[]) {
    const read = new Set(STACK_KEYS.map((k) => `${project}:${k.key}`));
    const plain = (v: string | undefined) => (v !== undefined && /^(true|false|[0-9]+)$/.test(v) ? v : undefined);
    return Object.fromEntries(
        allKeys.filter((k) => k.startsWith(`${project}:`) && !read.has(k)).map((k) => [k.slice(project.length + 1), plain(get(k))]),
    );
}

/**
 * Every fully qualified key of the stack's configuration, from the dynamic provider's `configure` request. The engine
 * hands a dynamic provider the whole configuration ("For dynamic providers, we always pass the full configuration":
 * GetPackageConfig in pulumi's pkg/resource/deploy/target.go), but the SDK's Config offers only get and require; the
 * map behind them is its private field rawConfig (so in @pulumi/pulumi 3.139.0 to 3.259.0 at least;
 * tests/unit/stack-config.test.ts holds the installed SDK to it). Without it, undefined: no misspelt key is caught.
 */
export function configKeysOf(config: object): string[] | undefined {
    const raw: unknown = Reflect.get(config, "rawConfig");
    return typeof raw === "object" && raw !== null ? Object.keys(raw) : undefined;
}

function wrapList(json: string | undefined): string | undefined {
    return json === undefined ? undefined : `[${json}]`;
}

/**
 * The plugin's settings, from the stack keys of its own namespace, which the engine hands every provider plugin it
 * starts as PULUMI_CONFIG (a JSON object of bare key names, decrypted) — at `pulumi destroy` too, as configured when the
 * destroy runs. `safesecret:region` and `safesecret:profile` stand in for the dynamic provider's aws:region/aws:profile.
 */
export function readPluginSettings(config: Record<string, unknown>): StackSettings {
    const text = (v: unknown) => (v === undefined ? undefined : typeof v === "string" ? v : JSON.stringify(v));
    const get = (fullKey: string): string | undefined => {
        const [ns, key] = fullKey.split(":") as [string, string];
        if (ns === PLUGIN_NAMESPACE || (ns === "aws" && (key === "region" || key === "profile"))) return text(config[key]);
        return undefined;
    };
    // region and profile are keys it reads too, so not among those a misspelling is looked for in.
    const keys = Object.keys(config)
        .filter((k) => k !== "region" && k !== "profile")
        .map((k) => `${PLUGIN_NAMESPACE}:${k}`);
    return { ...readStackSettings(get, PLUGIN_NAMESPACE, keys), awsNamespace: PLUGIN_NAMESPACE };
}

/** What an explicit provider resource takes (`pulumi:providers:safesecret` with `region: eu-west-1`). */
export const PROVIDER_ARGS = ["region", "profile"] as const;

/**
 * Whether a provider URN is the engine's default provider of the package (the one a Secret without a `provider`
 * option uses), by the engine's own rule: a provider resource whose name starts with "default" (IsDefaultProvider in
 * pulumi's pkg/resource/deploy/providers). Without a URN (an engine older than the one that sends it), default.
 */
export function isDefaultProvider(urn: string | undefined): boolean {
    return !urn || (urn.split("::").pop() ?? "").startsWith("default");
}

/**
 * The settings of the Secrets an explicit provider resource manages: the stack's, with the provider's own region and
 * profile over safesecret:region and safesecret:profile. Its arguments are the provider resource's inputs, which the
 * engine sends at Configure at every operation — at a destroy the inputs recorded in state. The default provider's
 * arguments are the stack's keys as recorded at the last update, so they are not read: the stack's keys as they are
 * when the operation runs (PULUMI_CONFIG) stay its settings. Deletion settings stay the stack's, for every provider:
 * the protection and the teardown cover every Secret of a stack, and a Secret's own inputs already override them.
 */
export function withProviderArgs(stack: StackSettings, urn: string | undefined, args: Record<string, unknown>): StackSettings {
    if (isDefaultProvider(urn)) return stack;
    const name = urn!.split("::").pop()!;
    const given = (k: (typeof PROVIDER_ARGS)[number]) => (args[k] === undefined || args[k] === null ? {} : { [k]: args[k] as string });
    const region = given("region");
    return {
        ...stack,
        aws: { ...stack.aws, ...region, ...given("profile") },
        ...("region" in region ? { regionKey: `region of provider ${name}` } : {}),
    };
}
