// Errors the user reads in `pulumi up` / `destroy` output: "<verb>ing secret <name>: <cause> — <fix>".
// The AWS error is chained as `cause`; no message ever includes a secret value.

/** The fields an SDK error (or anything thrown) may carry. */
function fieldsOf(e: unknown): { name?: unknown; Code?: unknown; message?: unknown } {
    return typeof e === "object" && e !== null ? e : {};
}

export function errorName(e: unknown): string | undefined {
    const { name, Code } = fieldsOf(e);
    return typeof name === "string" ? name : typeof Code === "string" ? Code : undefined;
}

export function errorMessage(e: unknown): string {
    const { message } = fieldsOf(e);
    return String(message ?? e).trim();
}

export class SecretOperationError extends Error {
    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = "SecretOperationError";
    }
}

export function operationError(verb: string, secret: string, cause: unknown, fix?: string): SecretOperationError {
    const what = cause instanceof Error || errorName(cause) ? `${errorName(cause) ?? "Error"}: ${errorMessage(cause)}` : String(cause);
    return new SecretOperationError(`${verb} secret ${secret}: ${what}${fix ? ` — ${fix}` : ""}`, { cause });
}

/**
 * The error a call that carried a generated value raised, with the value cut from its text (also JSON-escaped):
 * AWS's validation messages may quote what they were sent. The original is not chained: its fields may hold it too.
 */
export function withoutValues(e: unknown, values: readonly string[]): Error {
    let text = errorMessage(e);
    for (const v of values.filter((x) => x.length > 0)) {
        for (const form of new Set([v, JSON.stringify(v).slice(1, -1)])) text = text.split(form).join("[generated value]");
    }
    const safe = new Error(text);
    safe.name = errorName(e) ?? "Error";
    return safe;
}

export function failure(verb: string, secret: string, reason: string, fix?: string): SecretOperationError {
    return new SecretOperationError(`${verb} secret ${secret}: ${reason}${fix ? ` — ${fix}` : ""}`);
}

/**
 * An error after AWS has created (or restored) the secret. The engine's dynamic-provider host sees `id` and records
 * the resource in state with `properties` and the reasons as initialization errors, so nothing is orphaned: the next
 * `pulumi up` finishes the job, and `pulumi destroy` can delete it.
 */
export class CreatedButIncompleteError extends SecretOperationError {
    readonly reasons: string[];
    constructor(
        readonly id: string,
        readonly properties: Record<string, unknown>,
        cause: Error,
    ) {
        super(`${cause.message} (the secret exists in AWS and is recorded in the stack; run \`pulumi up\` again to finish)`, { cause });
        this.reasons = [cause.message];
    }
}
