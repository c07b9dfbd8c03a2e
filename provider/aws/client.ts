// The one place that builds Secrets Manager clients. Retries of throttling, 5xx and network faults are the
// SDK's job (standard retry mode); endpoints (AWS_ENDPOINT_URL_SECRETS_MANAGER) and credentials come from
// the SDK's own environment variables and default chain at run time, so nothing here is ever serialized.

import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** Attempts per call, first try included; override with AWS_MAX_ATTEMPTS as with any SDK client. */
export const DEFAULT_MAX_ATTEMPTS = 6;

const clients = new Map<string, SecretsManagerClient>();

export function secretsManager(region: string): SecretsManagerClient {
    let client = clients.get(region);
    if (!client) {
        client = new SecretsManagerClient({
            region,
            maxAttempts: Number(process.env.AWS_MAX_ATTEMPTS) || DEFAULT_MAX_ATTEMPTS,
            retryMode: (process.env.AWS_RETRY_MODE as "standard" | "adaptive") || "standard",
        });
        clients.set(region, client);
    }
    return client;
}

/** Region for a secret that names none: the `aws:region` stack key (as @pulumi/aws reads it), else the SDK's chain. */
export async function defaultRegion(configured: string | undefined): Promise<string | undefined> {
    if (configured) return configured;
    try {
        return await new SecretsManagerClient({}).config.region();
    } catch {
        return undefined;
    }
}
