// Who a resource is and whose keys decide its delete: the two Secret types (the dynamic provider's and the plugin's),
// the namespaces of their stack keys, and stack name patterns. Every layer that meets a resource in state asks here.

/** The provider plugin's package name: its resource is `safesecret:index:Secret`, its stack keys `safesecret:<key>`. */
export const PLUGIN_NAMESPACE = "safesecret";

/** Secret's type token, as the engine and policy packs see it. */
export const SECRET_TYPE = "pulumi-nodejs:dynamic/secretsmanager:Secret";
/** The provider plugin's Secret (plugin/provider.ts): the same resource for programs in any language. */
export const PLUGIN_SECRET_TYPE = `${PLUGIN_NAMESPACE}:index:Secret`;

/** Either Secret: the rules, the teardown and the sweep treat both alike. */
export function isSecretType(type: string): boolean {
    return type === SECRET_TYPE || type === PLUGIN_SECRET_TYPE;
}

/** The namespace of the stack keys that decide a Secret's delete: the project's for the dynamic one, the plugin's own. */
export function keyNamespace(type: string, project: string): string {
    return type === PLUGIN_SECRET_TYPE ? PLUGIN_NAMESPACE : project;
}

/** Stack patterns: `*` any characters, `?` one; a pattern with a "/" is matched against "project/stack". */
export function stackMatches(stack: StackIdentity, patterns: readonly string[]): string | undefined {
    return patterns.find((p) => globToRegExp(p).test(p.includes("/") ? `${stack.project}/${stack.name}` : stack.name));
}

function globToRegExp(pattern: string): RegExp {
    const body = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${body}$`);
}

export interface StackIdentity {
    name: string;
    project: string;
}
