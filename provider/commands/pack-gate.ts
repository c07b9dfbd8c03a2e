// The policy packs' judgement of a stack before its teardown destroys it, without running the program:
// `pulumi policy analyze` judges the resources the state holds, which are what the destroy deletes. A preview (the
// only other place a pack judges) runs the program and costs seconds per hundred resources; the destroy runs it again.
//
// The CLI loads the packs for `policy analyze` with no stack options, so a pack would see no stack configuration
// (CLI v3.259.0, sdk/go/common/resource/plugin/analyzer_plugin.go: constructEnv falls back to the CLI's own
// environment). This module hands the pack what a preview's engine hands it — the stack's configuration decrypted,
// its project, stack and organization — in that environment.

import { execFile } from "child_process";

export interface PackRefusal {
    urn?: string | undefined;
    /** "[mandatory] <policy>: <the violation's own text>". */
    message: string;
}

export type PackJudgement =
    | { kind: "passed" }
    | { kind: "refused"; refusals: PackRefusal[] }
    | { kind: "failed"; reason: string }
    /** This CLI has no `pulumi policy analyze` (added in v3.22x): the caller falls back to a preview. */
    | { kind: "unsupported" };

export interface PackGateRequest {
    /** The CLI the workspace runs. */
    command: string;
    cwd: string;
    stack: string;
    policyPacks: string[];
    policyPackConfigs: string[];
    /** The workspace's environment (backend, passphrase, PULUMI_HOME …). */
    env: Record<string, string>;
    /** The stack's configuration as the engine would hand it to a pack: every key, secrets decrypted. */
    config: Record<string, string>;
    identity: { project: string; stack: string; organization?: string | undefined };
}

/** The environment a preview's engine gives a Node.js pack (PULUMI_NODEJS_* for today's SDKs, PULUMI_* for later ones). */
export function packEnv(req: Pick<PackGateRequest, "config" | "identity">): Record<string, string> {
    const { project, stack, organization } = req.identity;
    const env: Record<string, string> = { PULUMI_CONFIG: JSON.stringify(req.config) };
    for (const prefix of ["PULUMI_NODEJS_", "PULUMI_"]) {
        env[`${prefix}PROJECT`] = project;
        env[`${prefix}STACK`] = stack;
        env[`${prefix}DRY_RUN`] = "true";
        if (organization) env[`${prefix}ORGANIZATION`] = organization;
    }
    return env;
}

/** A mandatory violation as the teardown reports it. The engine sends the rule's description, then the violation's own text. */
export function mandatoryRefusal(urn: string | undefined, policyName: string | undefined, message: string | undefined): PackRefusal {
    return { urn, message: `[mandatory] ${policyName}: ${(message ?? "").trim().split("\n").pop()!.trim()}` };
}

/** The judgement from `pulumi policy analyze --json`'s output: one JSON event per line, and its exit. */
export function judgementOf(exitCode: number, stdout: string, stderr: string): PackJudgement {
    const refusals: PackRefusal[] = [];
    for (const line of stdout.split("\n")) {
        if (!line.startsWith("{")) continue;
        let event: { policyEvent?: { resourceUrn?: string; message?: string; policyName?: string; enforcementLevel?: string } };
        try {
            event = JSON.parse(line);
        } catch {
            continue;
        }
        const p = event.policyEvent;
        if (p?.enforcementLevel === "mandatory") refusals.push(mandatoryRefusal(p.resourceUrn, p.policyName, p.message));
    }
    if (refusals.length) return { kind: "refused", refusals };
    if (exitCode === 0) return { kind: "passed" };
    // An older CLI's `pulumi policy` takes no `analyze`: cobra stops at the first flag it does not know.
    if (/unknown (command|flag|shorthand flag)/.test(stderr)) return { kind: "unsupported" };
    const error = /^error: (.*)$/m.exec(stderr)?.[1] ?? (stderr.trim().split("\n")[0] || `exit code ${exitCode}`);
    return { kind: "failed", reason: error.trim() };
}

export function analyzeWithPacks(req: PackGateRequest): Promise<PackJudgement> {
    const args = ["policy", "analyze", "--stack", req.stack, "--json", "--non-interactive"];
    for (const p of req.policyPacks) args.push("--policy-pack", p);
    for (const c of req.policyPackConfigs) args.push("--policy-pack-config", c);
    return new Promise((resolve) => {
        execFile(
            req.command,
            args,
            { cwd: req.cwd, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...req.env, ...packEnv(req) } },
            (err, stdout, stderr) => {
                const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
                if (err && code === -1)
                    return resolve({ kind: "failed", reason: `\`${req.command} policy analyze\` did not run: ${err.message}` });
                resolve(judgementOf(code, stdout, stderr));
            },
        );
    });
}
