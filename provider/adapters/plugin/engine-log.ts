// The plugin's lines, as the engine's log messages of the resource they concern. A plugin's stdout reaches users only
// under --debug (the engine relays it as debug output; only its own dynamic-provider plugin's stdout is shown), so
// the progress lines and the teardown's events go through the engine's Log call, as every provider's diagnostics do.

import type { ProviderOutput } from "../../lifecycle/log";

// The SDK's generated gRPC client and messages: what pulumi.log uses, with the resource's URN, which pulumi.log can
// only take from a Resource object of a program.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const engproto = require("@pulumi/pulumi/proto/engine_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings");

let last: Promise<void> = Promise.resolve();

function send(urn: string, message: string): void {
    const engine = settings.getEngine();
    if (!engine) {
        process.stderr.write(`${message}\n`);
        return;
    }
    const req = new engproto.LogRequest();
    req.setSeverity(engproto.LogSeverity.INFO);
    req.setMessage(message);
    req.setUrn(urn);
    // One at a time, so that lines keep their order.
    last = last.then(() => new Promise<void>((resolve) => engine.log(req, () => resolve())));
}

/** The output of one call about one resource. */
export function engineOutput(urn: string): ProviderOutput {
    return Object.assign((message: string) => send(urn, `[pulumi-safe-secret] ${message}`), { raw: (line: string) => send(urn, line) });
}

/** Resolves once every line sent so far has reached the engine (a call's answer must not overtake its lines). */
export function flushed(): Promise<void> {
    return last;
}
