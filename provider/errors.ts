// Errors the user reads in `pulumi up` / `destroy` output: "<verb>ing secret <name>: <cause> — <fix>".
// The AWS error is chained as `cause`; no message ever includes a secret value.

import { errorMessage, errorName } from "./aws/secrets";

export class SecretOperationError extends Error {
    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = "SecretOperationError";
    }
}

export function operationError(verb: string, secret: string, cause: unknown, fix?: string): SecretOperationError {
    const what = cause instanceof Error || (cause as any)?.name
        ? `${errorName(cause) ?? "Error"}: ${errorMessage(cause)}`
        : String(cause);
    return new SecretOperationError(`${verb} secret ${secret}: ${what}${fix ? ` — ${fix}` : ""}`, { cause });
}

export function failure(verb: string, secret: string, reason: string, fix?: string): SecretOperationError {
    return new SecretOperationError(`${verb} secret ${secret}: ${reason}${fix ? ` — ${fix}` : ""}`);
}
