// The value AWS generates for a Secret with generateSecretString: GetRandomPassword, filled into the template when
// there is one, handed straight to CreateSecret or PutSecretValue by the caller. The value lives only in this call's
// result and the request that stores it: never in outputs, progress lines or error texts (withoutValues).

import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { randomUUID } from "crypto";
import { sendGetRandomPassword, sendPutSecretValue } from "../aws/secrets";
import { failure, operationError, withoutValues } from "../core/errors";
import { GenerateSecretStringSpec, randomPasswordRequest, secretValueOf } from "../core/generated-value";

/** A generated value, and what an error text must not show: the value, and the password inside a template. */
export interface Generated {
    value: string;
    hidden: string[];
}

/** A value as `spec` asks for it. Throws (with AWS's error, which cannot hold a value not yet made) having stored nothing. */
export async function generateValue(
    client: SecretsManagerClient,
    spec: GenerateSecretStringSpec,
    verb: string,
    name: string,
): Promise<Generated> {
    let password: string | undefined;
    try {
        password = await sendGetRandomPassword(client, randomPasswordRequest(spec));
    } catch (e) {
        throw operationError(verb, name, e, "GetRandomPassword failed; nothing was stored — run `pulumi up` again");
    }
    if (!password) throw failure(verb, name, "GetRandomPassword returned no password", "nothing was stored — run `pulumi up` again");
    return { value: secretValueOf(spec, password), hidden: [secretValueOf(spec, password), password] };
}

/** PutSecretValue of a freshly generated value: a new version, labelled AWSCURRENT; its id is returned. */
export async function putGeneratedValue(
    client: SecretsManagerClient,
    id: string,
    name: string,
    spec: GenerateSecretStringSpec,
    fix: string,
): Promise<string | undefined> {
    const { value, hidden } = await generateValue(client, spec, "updating", name);
    try {
        return (await sendPutSecretValue(client, { SecretId: id, SecretString: value, ClientRequestToken: randomUUID() })).VersionId;
    } catch (e) {
        throw operationError("updating", name, withoutValues(e, hidden), `PutSecretValue of a generated value failed; ${fix}`);
    }
}
