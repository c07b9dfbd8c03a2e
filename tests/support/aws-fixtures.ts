import { DescribeSecretCommand, DescribeSecretCommandOutput, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { secretsManager } from "../../provider/aws/client";
import { ProviderContext } from "../../provider/lifecycle/context";
import { SecretInputs, StackSettings } from "../../provider/core/types";
import { aws } from "./harness";

export interface TestContext extends ProviderContext {
    lines: string[];
}

/** The provider's own client path (SDK → AWS-behaviour layer → moto), with fast polling and captured logs. */
export function testContext(stack: Partial<StackSettings> = {}): TestContext {
    const lines: string[] = [];
    return {
        stack: { project: "proj", ...stack, aws: { region: "us-east-1", ...stack.aws } },
        log: (m) => lines.push(m),
        client: secretsManager,
        pollMinDelayMs: 50,
        pollMaxDelayMs: 500,
        lines,
    };
}

/** A client straight to moto, for assertions that must not show up in the wire counts. */
export function observer(region = "us-east-1"): SecretsManagerClient {
    return new SecretsManagerClient({ region, endpoint: aws().moto.url });
}

export function inputs(name: string, extra: Partial<SecretInputs> = {}): SecretInputs {
    return { name, region: "us-east-1", secretString: "value-" + name, ...extra };
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** What moto holds for a secret, or undefined when it does not know it (asked directly, not through the layer). */
export async function describeOrUndefined(id: string, region = "us-east-1"): Promise<DescribeSecretCommandOutput | undefined> {
    try {
        return await observer(region).send(new DescribeSecretCommand({ SecretId: id }));
    } catch (e) {
        if ((e as Error).name === "ResourceNotFoundException") return undefined;
        throw e;
    }
}

/** Whole days until moto deletes a scheduled secret (it reports DeletedDate as that date); undefined if not scheduled. */
export async function daysUntilDeletion(id: string): Promise<number | undefined> {
    const when = (await describeOrUndefined(id))?.DeletedDate?.getTime();
    return when === undefined ? undefined : Math.round((when - Date.now()) / DAY_MS);
}

/** The next DeleteSecret of a secret whose id contains `idPart` is refused as AWS refuses a caller without the permission. */
export function denyDeleteOnce(idPart: string, errorMessage = "User is not authorized to perform: secretsmanager:DeleteSecret"): void {
    aws().layer.faults.push({
        op: "DeleteSecret",
        kind: "error",
        times: 1,
        errorName: "AccessDeniedException",
        errorMessage,
        when: (b) => String(b.SecretId).includes(idPart),
    });
}
