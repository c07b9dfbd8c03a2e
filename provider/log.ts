// Progress lines. A dynamic provider has no engine logger: the engine shows each line the provider process
// writes to stdout as an info message of the running `pulumi up` / `destroy`.

export type Logger = (message: string) => void;

export const consoleLogger: Logger = (message) => {
    process.stdout.write(`[pulumi-safe-secret] ${message}\n`);
};
