// The plugin's Pulumi package schema: what `pulumi package add`, YAML programs and `pulumi import` learn the Secret
// from. The stack keys come from the one table in stack-keys.ts; the Secret's properties from the one table in
// properties.ts: a program's inputs are the input properties, everything published (inputs, the deletion policy,
// what AWS reports) the properties; what only the dynamic adapter sends (the owner, stack and resource name) is left out.

import { PropertyName, PropertyType, PUBLISHED, REQUIRED_OUTPUTS, SECRET_INPUTS, SECRET_PROPERTIES } from "../../core/properties";

import { PASSWORD_LENGTH_DEFAULT, PASSWORD_LENGTH_MAX } from "../../core/generated-value";
import { STACK_KEYS } from "../../core/stack-keys";
import { PLUGIN_NAMESPACE, PLUGIN_SECRET_TYPE } from "../../core/identity";

type Spec = Record<string, unknown>;
const str = (description: string): Spec => ({ type: "string", description });
const int = (description: string): Spec => ({ type: "integer", description });
const bool = (description: string): Spec => ({ type: "boolean", description });
const typeRef = (type: string) => `#/types/${PLUGIN_NAMESPACE}:index:${type}`;

/** Each type of the table's vocabulary as the schema spells it. */
const SCHEMA_TYPES: Record<PropertyType, Spec> = {
    string: { type: "string" },
    integer: { type: "integer" },
    boolean: { type: "boolean" },
    "map<string>": { type: "object", additionalProperties: { type: "string" } },
    "Replica[]": { type: "array", items: { $ref: typeRef("Replica") } },
    "ReplicaStatus[]": { type: "array", items: { $ref: typeRef("ReplicaStatus") } },
    AssumeRole: { $ref: typeRef("AssumeRole") },
    DeletionPolicy: { $ref: typeRef("DeletionPolicy") },
    GenerateSecretString: { $ref: typeRef("GenerateSecretString") },
    // Typed languages give a string; check also takes a number (YAML's `generation: 2`, a Python int).
    "string | number": { type: "string" },
};

/** One property's schema: its type, its doc (and default, in words), and the secret mark. */
export function propertySpec(name: PropertyName): Spec {
    const p = SECRET_PROPERTIES[name];
    const description = "default" in p ? `${p.doc} Default: ${p.default}.` : p.doc;
    return { ...SCHEMA_TYPES[p.type], description, ...("secret" in p ? { secret: true } : {}) };
}

const specsOf = (names: readonly PropertyName[]): Record<string, Spec> => Object.fromEntries(names.map((n) => [n, propertySpec(n)]));

/**
 * Where the package's source is published: the schema's `repository`, and the root of the Go SDK's module path. The
 * Go host derives from `repository` the import path it prints after `pulumi package add`, so the two agree.
 */
const REPOSITORY = "github.com/pulumi-safe-secret/pulumi-safe-secret";

/**
 * The Go SDK's module: a `sdk/go` module of the repository, as `pulumi package gen-sdk` lays it out. Offline nothing
 * fetches it: `pulumi package add` generates the SDK into the project and points go.mod's `replace` at that folder, so
 * the path only has to be one nobody else owns. From major version 2 on, Go wants the major version in it
 * (`.../sdk/go/v2`).
 */
export function goModulePath(version: string): string {
    const major = Number(version.split(".")[0]);
    return `${REPOSITORY}/sdk/go${major > 1 ? `/v${major}` : ""}`;
}

/**
 * How each language's generated SDK is named, so that it reads as a native package (without this section Go's import
 * path is example.com/pulumi-safesecret/..., Node.js's package @pulumi/safesecret, C#'s namespace Pulumi.Safesecret).
 * The Node.js SDK must not be named pulumi-safe-secret: that is the package the plugin comes in, which a project using
 * the SDK has installed beside it.
 */
export function languageNames(version: string): Spec {
    const module = goModulePath(version);
    return {
        python: { packageName: "pulumi_safesecret", pyproject: { enabled: true } },
        go: { importBasePath: `${module}/${PLUGIN_NAMESPACE}`, modulePath: module },
        nodejs: { packageName: "pulumi-safe-secret-sdk" },
        csharp: { rootNamespace: "Pulumi", namespaces: { [PLUGIN_NAMESPACE]: "SafeSecret" } },
    };
}

export function pluginSchema(version: string): Spec {
    return {
        name: PLUGIN_NAMESPACE,
        displayName: "Safe Secret",
        version,
        description: "AWS Secrets Manager secrets whose teardown is governed by stack configuration.",
        license: "Apache-2.0",
        repository: `https://${REPOSITORY}`,
        language: languageNames(version),
        config: {
            variables: {
                ...Object.fromEntries(STACK_KEYS.map((k) => [k.key, { type: k.type, description: k.description }])),
                region: str("The region of Secrets without a region input (the dynamic provider reads aws:region)."),
                profile: str("The AWS profile of Secrets without a profile input (the dynamic provider reads aws:profile)."),
            },
        },
        // An explicit provider takes where its Secrets' calls go; the deletion keys stay stack-wide (stack-keys.ts says why).
        provider: {
            description:
                "Configured by the stack's safesecret:* keys, read when each operation starts. An explicit provider's region " +
                "and profile govern the Secrets that use it, at create and at destroy.",
            inputProperties: {
                region: str("The region of this provider's Secrets without a region input. Default: safesecret:region."),
                profile: str("The AWS profile of this provider's Secrets without a profile input. Default: safesecret:profile."),
            },
        },
        resources: {
            [PLUGIN_SECRET_TYPE]: {
                description: "An AWS Secrets Manager secret whose teardown follows the stack configuration.",
                inputProperties: specsOf(SECRET_INPUTS),
                properties: specsOf(PUBLISHED),
                required: [...REQUIRED_OUTPUTS],
            },
        },
        types: {
            [`${PLUGIN_NAMESPACE}:index:Replica`]: {
                type: "object",
                properties: { region: str("Region to replicate to."), kmsKeyId: str("KMS key for the replica.") },
                required: ["region"],
            },
            [`${PLUGIN_NAMESPACE}:index:AssumeRole`]: {
                type: "object",
                properties: {
                    roleArn: str("The role's ARN."),
                    externalId: str("External id the role requires."),
                    sessionName: str("Session name. Default: pulumi-safe-secret."),
                    durationSeconds: int("900–43200. Default: one hour."),
                },
                required: ["roleArn"],
            },
            [`${PLUGIN_NAMESPACE}:index:GenerateSecretString`]: {
                type: "object",
                description: "Parameters of the value AWS generates (GetRandomPassword), and CDK's JSON template form.",
                properties: {
                    passwordLength: int(`1–${PASSWORD_LENGTH_MAX}. Default: ${PASSWORD_LENGTH_DEFAULT}.`),
                    excludeCharacters: str("Characters the value must not contain."),
                    excludeNumbers: bool("Leave out 0–9. Default: false."),
                    excludePunctuation: bool("Leave out the punctuation characters !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~. Default: false."),
                    excludeUppercase: bool("Leave out A–Z. Default: false."),
                    excludeLowercase: bool("Leave out a–z. Default: false."),
                    includeSpace: bool("Include the space character. Default: false."),
                    requireEachIncludedType: bool("At least one character of each included class. Default: true, as AWS."),
                    secretStringTemplate: str(
                        'A JSON object as text, e.g. {"username":"app"}: the value is this object with the password at generateStringKey.',
                    ),
                    generateStringKey: str("The key of secretStringTemplate that receives the password, e.g. password."),
                },
            },
            [`${PLUGIN_NAMESPACE}:index:ReplicaStatus`]: {
                type: "object",
                properties: { region: str(""), kmsKeyId: str(""), status: str(""), statusMessage: str("") },
                required: ["region"],
            },
            [`${PLUGIN_NAMESPACE}:index:DeletionPolicy`]: {
                type: "object",
                properties: {
                    mode: str('"force" or "window".'),
                    recoveryWindowInDays: int('The window, for mode "window".'),
                    source: str('Which setting decided: "resource", "stack" or "aws-default".'),
                    description: str("The policy in words."),
                },
                required: ["mode", "source", "description"],
            },
        },
    };
}
