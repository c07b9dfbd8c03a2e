// The CLI's own error line from an Automation API failure, as the commands report it.

/** The first line of a message, with the line after it when it ends in a colon ("… an unhandled exception:"). */
export function statement(message: string): string {
    const lines = message
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l);
    const first = lines[0] ?? message.trim();
    return first.endsWith(":") && lines[1] ? `${first} ${lines[1]}` : first;
}

/** The CLI's own error line from an Automation API failure, with the way out when the stack is locked. */
export function engineError(e: unknown, stackName: string): string {
    const text = e instanceof Error ? e.message : String(e);
    if (/currently locked/.test(text)) {
        return `stack ${stackName} is locked: another update is running, or one was killed — if none is running, run the same command with --unlock`;
    }
    // The Automation API's message starts "code: … stderr: "; the CLI's own error line may follow on that line.
    const m = /(?:^|\s)error: ([^]*)$/m.exec(text);
    return statement(m?.[1] ?? text);
}
