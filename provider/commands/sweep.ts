// `pulumi-safe-secret sweep`: tears down every idle stack that matches, each with the teardown command's guarantees,
// at most K at a time — never one under teardown protection (sweep-select.ts; each matching stack's configuration is
// read for it). The K teardowns run K provider processes against one region's quota, so each gets a share of
// it (PULUMI_SAFE_SECRET_MAX_CALLS_PER_SECOND = quota / K, aws/rate-limit.ts).

import type { LocalWorkspace } from "@pulumi/pulumi/automation";
import * as path from "path";
import { RATE_ENV } from "../aws/rate-limit";
import { SweepOptions } from "./args";
import { EXIT, SecretOutcome, TeardownSummary } from "./outcome";
import { chooseStacks, inPool, ListedStack, matchingPattern, StackConfigRead, SweepChoice } from "./sweep-select";
import { engineError } from "./engine-error";
import { failedTeardown, teardown } from "./teardown";

type Automation = typeof import("@pulumi/pulumi/automation");

/** Stacks whose configuration and history are read at once (each read is a CLI process). */
const READS_AT_ONCE = 8;

/** The stack's configuration, decrypted as its teardown's program would see it; a failure is kept as the reason. */
async function readConfig(ws: LocalWorkspace, stack: string): Promise<StackConfigRead> {
    try {
        return { ok: true, values: await ws.getAllConfig(stack) };
    } catch (e) {
        return { ok: false, problem: engineError(e, stack) };
    }
}

export interface SweptStack {
    stack: string;
    result: TeardownSummary["result"];
    exitCode: number;
    elapsedMs: number;
    why: string;
    secrets: SecretOutcome[];
    reason?: string | undefined;
}

export interface SweepSummary {
    v: 1;
    result: "done" | "failed" | "refused";
    exitCode: number;
    /** What was chosen and why, including the stacks left alone. */
    considered: SweepChoice[];
    stacks: SweptStack[];
    /** The quota share each teardown's provider got (calls per second and region). */
    callsPerSecondEach: number;
}

export interface SweepIo {
    progress(line: string): void;
    /** One line per stack as it finishes. */
    finished(s: SweptStack): void;
}

export async function sweep(opts: SweepOptions, io: SweepIo, given?: Automation, now = Date.now()): Promise<SweepSummary> {
    const automation = given ?? (await import("@pulumi/pulumi/automation"));
    const cwd = path.resolve(opts.cwd);
    const ws: LocalWorkspace = await automation.LocalWorkspace.create({ workDir: cwd });
    const [listed, project] = await Promise.all([ws.listStacks(), ws.projectSettings().then((p) => p.name)]);
    // Each matching stack: its configuration (teardown protection keeps it out), and, where it looks fresh, its history
    // (a failed teardown may have touched it last). A CLI call or two each, a few stacks at a time.
    const stacks = await inPool(listed, READS_AT_ONCE, async (s): Promise<ListedStack> => {
        if (!matchingPattern(s.name, opts.stacks)) return s;
        const fresh = !!s.lastUpdate && now - Date.parse(s.lastUpdate) <= opts.idleForMs;
        const [config, last] = await Promise.all([
            readConfig(ws, s.name),
            fresh
                ? automation.Stack.select(s.name, ws)
                      .then((st) => st.history(1))
                      .catch(() => [])
                : [],
        ]);
        return { ...s, config, ...(last[0] ? { lastOperation: last[0].kind } : {}) };
    });
    const considered = chooseStacks(stacks, {
        patterns: opts.stacks,
        idleForMs: opts.idleForMs,
        now,
        project,
        removeStack: opts.removeStack,
    });
    const chosen = considered.filter((c) => c.go);
    // Not rounded down to whole calls: at a small quota (5/s, K = 4) that would leave a fifth of it unused.
    const callsPerSecondEach = Math.round((opts.maxCallsPerSecond / Math.min(opts.concurrency, Math.max(chosen.length, 1))) * 100) / 100;
    const summary: SweepSummary = { v: 1, result: "done", exitCode: EXIT.DONE, considered, stacks: [], callsPerSecondEach };
    const kept = considered.filter((c) => c.protected).length;
    io.progress(
        `${chosen.length} of ${considered.length} stacks to tear down, ${opts.concurrency} at a time, ${callsPerSecondEach} AWS calls/s each` +
            (kept ? `; ${kept} kept by teardown protection` : ""),
    );
    if (opts.dryRun) return summary;

    summary.stacks = await inPool(chosen, opts.concurrency, async (c) => {
        const started = Date.now();
        const stackName = c.stack.split("/").pop()!;
        const t = await teardown(
            {
                stack: c.stack,
                cwd,
                deletion: opts.deletion,
                removeStack: opts.removeStack,
                allowMissing: true,
                unlock: false,
                runProgram: false,
                policyPacks: opts.policyPacks,
                policyPackConfigs: opts.policyPackConfigs,
                env: { [RATE_ENV]: String(callsPerSecondEach) },
            },
            { progress: (line) => io.progress(`${stackName}: ${line}`) },
            automation,
        ).catch((e: Error) => failedTeardown(c.stack, opts.deletion, e));
        const swept: SweptStack = {
            stack: c.stack,
            result: t.result,
            exitCode: t.exitCode,
            elapsedMs: Date.now() - started,
            why: c.why,
            secrets: t.secrets,
            ...(t.reason ? { reason: t.reason } : {}),
        };
        io.finished(swept);
        return swept;
    });
    // A failure is worth a re-run (it finishes the job); a refusal alone needs a human.
    // A stack another run was tearing down ("busy") is not done by this one: a later run checks it.
    if (summary.stacks.some((s) => s.result === "failed" || s.result === "busy"))
        Object.assign(summary, { result: "failed", exitCode: EXIT.FAILED });
    else if (summary.stacks.some((s) => s.result === "refused")) Object.assign(summary, { result: "refused", exitCode: EXIT.REFUSED });
    return summary;
}
