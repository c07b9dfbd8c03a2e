// `pulumi-safe-secret teardown`: the steps a pipeline takes to tear an environment down, through the Automation API
// of the project's own @pulumi/pulumi. The provider's delete does the deleting (and refuses what teardown protection
// forbids); this file sets the policy, gates on a preview, runs the destroy and reports what happened to each secret.

import type { EngineEvent, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import * as path from "path";
import { SECRET_TYPE } from "../policy-pack/rules";
import { describeDeletion, TeardownOptions } from "./args";
import { EXIT, isPolicyRefusal, overallResult, parseProviderLine, reasonLeft, SecretInState, secretOutcomes, TeardownSummary } from "./outcome";

export interface TeardownIo {
    /** Progress while the engine works (the results are the summary this returns). */
    progress(line: string): void;
}

type Automation = typeof import("@pulumi/pulumi/automation");

export async function teardown(opts: TeardownOptions, io: TeardownIo, automation: Automation = require("@pulumi/pulumi/automation")): Promise<TeardownSummary> {
    const cwd = path.resolve(opts.cwd);
    const summary: TeardownSummary = {
        stack: opts.stack,
        result: "done",
        exitCode: EXIT.DONE,
        policy: describeDeletion(opts.deletion),
        stackFound: true,
        stackRemoved: false,
        secrets: [],
    };
    const ws: LocalWorkspace = await automation.LocalWorkspace.create({ workDir: cwd });
    const exists = (await ws.listStacks()).some((s) => s.name === opts.stack || s.name.endsWith(`/${opts.stack}`));
    if (!exists) {
        // A re-run after the stack was removed: the job is already done.
        summary.stackFound = false;
        io.progress(`stack ${opts.stack} does not exist in this backend: nothing to tear down`);
        return summary;
    }
    const stack: Stack = await automation.Stack.select(opts.stack, ws);
    if (opts.unlock) {
        // A killed run (a cancelled pipeline job) leaves the stack locked; `pulumi cancel` is the documented way out.
        io.progress("removing the stack's lock (--unlock: nothing else may be updating this stack)");
        await stack.cancel();
    }

    // A refused teardown puts the stack's settings file back as it was: a forceDelete left in a protected stack's
    // configuration would make its next `pulumi up` fail.
    let restorePolicy = async () => undefined as void;
    if (opts.deletion !== undefined) {
        io.progress(`setting the deletion policy: ${summary.policy}`);
        const settingsBefore = await ws.stackSettings(opts.stack);
        restorePolicy = async () => {
            await ws.saveStackSettings(opts.stack, settingsBefore);
            io.progress("the refused policy was taken back: the stack's configuration is as it was");
        };
        const keys = ["forceDelete", "recoveryWindowInDays"];
        const [set, unset] = opts.deletion === "force" ? keys : [...keys].reverse();
        await stack.setConfig(set, { value: String(opts.deletion === "force" ? true : opts.deletion) });
        await stack.removeConfig(unset).catch(() => undefined);
    }

    const before = await secretsInState(stack);
    io.progress(`${before.length} secret${before.length === 1 ? "" : "s"} in stack ${opts.stack}`);

    // The gate: `check` runs with the teardown's policy (teardown protection refuses here), and the policy packs
    // judge the stack — before anything is deleted. A destroy alone would run neither.
    if (before.length > 0 && !opts.noPreview) {
        const refusal = await previewGate(stack, opts, io);
        if (refusal) {
            if (refusal.refused) await restorePolicy();
            summary.result = refusal.refused ? "refused" : "failed";
            summary.exitCode = refusal.refused ? EXIT.REFUSED : EXIT.FAILED;
            summary.reason = refusal.reason;
            summary.secrets = before.map((s) => ({
                ...s,
                outcome: refusal.refused ? "refused" : "kept",
                detail: refusal.byUrn.get(s.urn) ?? `not deleted: the teardown stopped at the preview`,
            }));
            return summary;
        }
    }

    io.progress("destroying");
    const providerMessages = new Map<string, string[]>();
    const errors = new Map<string, string>();
    let destroyError: string | undefined;
    try {
        await stack.destroy({
            color: "never",
            onEvent: (e: EngineEvent) => {
                const d = e.diagnosticEvent;
                if (d) {
                    const line = parseProviderLine(d.message);
                    if (line) {
                        providerMessages.set(line.name, [...(providerMessages.get(line.name) ?? []), line.message]);
                        io.progress(`${line.name}: ${line.message}`);
                    }
                    if (d.severity === "error" && d.urn) errors.set(d.urn, d.message.trim());
                }
            },
        });
    } catch (e) {
        destroyError = engineError(e, opts.stack);
    }
    const after = await secretsInState(stack);
    summary.secrets = secretOutcomes(before, after, providerMessages, errors);
    const { result, exitCode } = overallResult(summary.secrets, destroyError);
    summary.result = result;
    summary.exitCode = exitCode;
    if (result === "refused") await restorePolicy();
    if (result !== "done") {
        summary.reason = reasonLeft(summary.secrets, destroyError);
        return summary;
    }
    if (opts.removeStack) {
        await ws.removeStack(opts.stack);
        summary.stackRemoved = true;
        io.progress(`stack ${opts.stack} removed`);
    }
    return summary;
}

async function secretsInState(stack: Stack): Promise<SecretInState[]> {
    const deployment = await stack.exportStack();
    const resources: any[] = deployment.deployment?.resources ?? [];
    return resources
        .filter((r) => r.type === SECRET_TYPE)
        .map((r) => ({ urn: r.urn, name: r.outputs?.name ?? r.id ?? r.urn, region: r.outputs?.region }));
}

/** A refusal or failure of the preview gate: the run's reason, and each secret's own message where the engine named it. */
interface GateStop {
    refused: boolean;
    reason: string;
    byUrn: Map<string, string>;
}

/** Undefined when the preview passed; else why not, and whether that is a refusal by policy (a re-run cannot help). */
async function previewGate(stack: Stack, opts: TeardownOptions, io: TeardownIo): Promise<GateStop | undefined> {
    io.progress(`previewing${opts.policyPacks.length ? ` with policy pack${opts.policyPacks.length > 1 ? "s" : ""} ${opts.policyPacks.join(", ")}` : ""}`);
    const refusals: { urn?: string; message: string }[] = [];
    const errors: string[] = [];
    try {
        await stack.preview({
            color: "never",
            policyPacks: opts.policyPacks.map((p) => path.resolve(p)),
            policyPackConfigs: opts.policyPackConfigs.map((p) => path.resolve(p)),
            onEvent: (e: EngineEvent) => {
                const p = e.policyEvent;
                // The engine sends the rule's description, then the violation's own text.
                if (p && p.enforcementLevel === "mandatory") refusals.push({ urn: p.resourceUrn, message: `[mandatory] ${p.policyName}: ${lastLine(p.message)}` });
                const d = e.diagnosticEvent;
                if (d && d.severity === "error") {
                    if (isPolicyRefusal(d.message)) refusals.push({ urn: d.urn, message: d.message.trim() });
                    else errors.push(d.message.trim());
                }
            },
        });
        return undefined;
    } catch (e) {
        if (refusals.length) {
            const byUrn = new Map<string, string>();
            for (const r of refusals) if (r.urn) byUrn.set(r.urn, byUrn.has(r.urn) ? `${byUrn.get(r.urn)}; ${r.message}` : r.message);
            const reasons = [...new Set(refusals.map((r) => r.message))];
            return { refused: true, reason: `refused by policy, nothing was deleted: ${reasons.join("; ")}`, byUrn };
        }
        const reason = errors.find((m) => !/^preview failed$/.test(m)) ?? engineError(e, opts.stack);
        return { refused: false, reason: `the preview failed, nothing was deleted: ${reason}`, byUrn: new Map() };
    }
}

function lastLine(s: string): string {
    return s.trim().split("\n").pop()!.trim();
}

/** The CLI's own error line from an Automation API failure, with the way out when the stack is locked. */
export function engineError(e: unknown, stackName: string): string {
    const text = e instanceof Error ? e.message : String(e);
    if (/currently locked/.test(text)) {
        return `stack ${stackName} is locked: another update is running, or one was killed — if none is running, run the same command with --unlock`;
    }
    return /^\s*error: (.+)$/m.exec(text)?.[1].trim() ?? text.split("\n").map((l) => l.trim()).find((l) => l) ?? text;
}
