// Progress lines. A dynamic provider has no engine logger: the engine shows each line the provider process
// writes to stdout as an info message of the running `pulumi up` / `destroy`.

export type Logger = (message: string) => void;

/** Where a provider's lines go: progress lines (prefixed), and raw lines (the teardown's events). */
export type ProviderOutput = Logger & { raw: (line: string) => void };

let guarded = false;

function writeLine(line: string): void {
    if (!guarded) {
        // If the engine dies (a killed `pulumi`), stdout is a broken pipe: a write must not raise an unhandled
        // 'error' that the host then tries to log to the same broken pipe, over and over.
        process.stdout.on("error", () => undefined);
        guarded = true;
    }
    process.stdout.write(`${line}\n`);
}

export const consoleLogger: ProviderOutput = Object.assign((message: string) => writeLine(`[pulumi-safe-secret] ${message}`), {
    raw: writeLine,
});
