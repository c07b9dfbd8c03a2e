// The one place that builds Secrets Manager clients. Retries of throttling, 5xx and network faults are the SDK's
// job: adaptive retry mode, whose client-side rate limiter slows every call of a client once AWS throttles. One client
// per region and identity is shared by all secrets in the provider process, which matches AWS's quota (about 50
// control-plane calls a second per account and region), so a teardown of hundreds of secrets settles at the quota
// instead of spending its retries (figures in docs/benchmark.md).
// Where calls go and as whom comes from the SDK's own mechanisms: the endpoint from `aws:endpoints` or
// AWS_ENDPOINT_URL_SECRETS_MANAGER, credentials from the client's `profile` option and the default chain, assumed
// roles through fromTemporaryCredentials. Built at run time, so nothing here is serialized.

import { limitCalls } from "./rate-limit";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { AwsTarget } from "../core/aws-settings";

type AwsCredentialIdentityProvider = ReturnType<typeof fromTemporaryCredentials>;

/** Attempts per call, first try included; override with AWS_MAX_ATTEMPTS as with any SDK client. */
export const DEFAULT_MAX_ATTEMPTS = 10;
/** Override with AWS_RETRY_MODE as with any SDK client. */
export const DEFAULT_RETRY_MODE = "adaptive";

const clients = new Map<string, SecretsManagerClient>();

/** A client for one region and identity; clients are shared by every call with the same target. */
export function secretsManager(target: AwsTarget | string): SecretsManagerClient {
    const t: AwsTarget = typeof target === "string" ? { region: target } : target;
    const key = JSON.stringify([t.region, t.profile, t.assumeRoles, t.endpoint, t.stsEndpoint]);
    let client = clients.get(key);
    if (!client) {
        const credentials = assumedCredentials(t);
        client = new SecretsManagerClient({
            region: t.region,
            ...(t.profile ? { profile: t.profile } : {}),
            ...(t.endpoint ? { endpoint: t.endpoint } : {}),
            ...(credentials ? { credentials } : {}),
            maxAttempts: Number(process.env.AWS_MAX_ATTEMPTS) || DEFAULT_MAX_ATTEMPTS,
            retryMode: process.env.AWS_RETRY_MODE || DEFAULT_RETRY_MODE,
        });
        limitCalls(client, t.region);
        clients.set(key, client);
    }
    return client;
}

/** Each role is assumed with the credentials of the one before it (the first with the profile or default chain). */
function assumedCredentials(t: AwsTarget): AwsCredentialIdentityProvider | undefined {
    let credentials: AwsCredentialIdentityProvider | undefined;
    for (const role of t.assumeRoles ?? []) {
        credentials = fromTemporaryCredentials({
            params: {
                RoleArn: role.roleArn,
                RoleSessionName: role.sessionName ?? "pulumi-safe-secret",
                ...(role.externalId !== undefined ? { ExternalId: role.externalId } : {}),
                ...(role.durationSeconds !== undefined ? { DurationSeconds: role.durationSeconds } : {}),
            },
            ...(credentials ? { masterCredentials: credentials } : {}),
            clientConfig: {
                region: t.region,
                ...(t.profile ? { profile: t.profile } : {}),
                ...(t.stsEndpoint ? { endpoint: t.stsEndpoint } : {}),
            },
        });
    }
    return credentials;
}

/** Region for a secret that names none: the `aws:region` stack key (as @pulumi/aws reads it), else the SDK's chain. */
export async function defaultRegion(configured: string | undefined, profile?: string): Promise<string | undefined> {
    if (configured) return configured;
    try {
        return await new SecretsManagerClient(profile ? { profile } : {}).config.region();
    } catch {
        return undefined;
    }
}
