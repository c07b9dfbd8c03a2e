// The teardown's gates and what they read. Nothing is deleted unless each secret's delete decision (made here as the
// delete will make it) and the policy packs' judgement of the stack let it go. Their reads — the stack's state, its
// configuration, the packs' judgement — are made by the CLI itself, as soon as the command starts: loading the
// Automation API is most of a teardown's start-up, and they need none of it.

import type { Deployment } from "@pulumi/pulumi/automation";

import * as path from "path";
import { TeardownOptions } from "./args";

import { ConfigJsonRead, readConfigJson, runCli, withDeletionKeys } from "../destroy-time/cli-config";

import { destroyDecision, inUseRefusal } from "../core/policy";

import { DeletionKeys, runConfig, TeardownRun } from "../destroy-time/teardown-run";

import { engineError } from "./engine-error";

import { SecretInState, secretInState, SecretOutcome, StateResource } from "./outcome";

import { analyzeWithPacks, PackJudgement, PackRefusal } from "./pack-gate";
import { keyNamespace } from "../core/identity";

export interface GateIo {
    progress(line: string): void;
}

/** Where the gates' CLI calls run: the CLI, the project's directory, and the stack's flags. */
interface CliPlace {
    cli: string;
    cwd: string;
    scope: string[];
}

/** What the gates read of the stack, and the packs' judgement once it is under way. */
export interface StackReading {
    /** The secrets the state holds; an Error when the state could not be read (the stack's selection says why). */
    secrets: StateSecret[] | Error;
    /** The policy in force, for a stack that holds secrets (or why it could not be read). */
    policy?: PolicyInForce | { problem: string };
    /** The packs' judgement, started as soon as the policy is known. */
    judged?: Promise<GateStop | undefined>;
}

/** Reads the stack's state and configuration side by side, then starts the packs' judgement. Never rejects. */
export async function readStack(opts: TeardownOptions, io: GateIo, cli = "pulumi"): Promise<StackReading> {
    const where: CliPlace = { cli, cwd: path.resolve(opts.cwd), scope: ["--stack", opts.stack, "--non-interactive"] };
    const packs = opts.policyPacks.length > 0;
    // The state without --show-secrets (nothing of it the gates read is secret); the configuration decrypted whole only
    // where packs judge it, as a preview hands it to them.
    const [exported, config] = await Promise.all([
        runCli(where.cli, ["stack", "export", ...where.scope], where.cwd),
        readConfigJson(where.cli, where.scope, where.cwd, packs),
    ]);
    if (!exported.ok) return { secrets: new Error(exported.problem) };
    let secrets: StateSecret[];
    try {
        secrets = secretsOf(JSON.parse(exported.stdout) as Deployment);
    } catch (e) {
        return { secrets: new Error(`could not parse \`pulumi stack export\` output: ${(e as Error).message}`) };
    }
    if (secrets.length === 0) return { secrets };
    const policy = await policyInForce(config, where, secrets, opts);
    if ("problem" in policy || !packs) return { secrets, policy };
    return { secrets, policy, judged: packGate(where, secrets, policy, opts, io) };
}

/**
 * A secret of the stack with what its delete decides on: its recorded inputs, and the namespace of the stack keys its
 * delete reads (the project's, from its URN, for the dynamic Secret; the plugin's own for the plugin's).
 */
export interface StateSecret extends SecretInState {
    props: Record<string, unknown>;
    project: string;
}

export function secretsOf(deployment: Deployment): StateSecret[] {
    const resources: StateResource[] = deployment.deployment?.resources ?? [];
    return resources.flatMap((r) => {
        // A resource marked for deletion (the old half of a replace) is the engine's to finish, not a secret to report.
        const secret = r.delete ? undefined : secretInState(r);
        // urn:pulumi:<stack>::<project>::<type>::<name>
        return secret ? [{ ...secret, props: r.outputs ?? {}, project: keyNamespace(r.type, r.urn.split("::")[1] ?? "") }] : [];
    });
}

/** The deletion keys each namespace's deletes will decide by: the stack's as they are now, the teardown's flags over them. */
export interface PolicyInForce {
    settings: Record<string, DeletionKeys>;
    source: TeardownRun["source"];
    /** Every key of the stack with the policy over it, as the packs judge it (where they do: read decrypted). */
    config: Record<string, string>;
}

/**
 * From the one configuration read, decrypting (beyond what packs need) only the deletion keys: the project's namespace
 * (the dynamic Secret's keys) and each other namespace a secret of the stack reads (the plugin's). The teardown's flag
 * replaces the stack's deletion keys.
 */
async function policyInForce(
    read: ConfigJsonRead,
    where: CliPlace,
    secrets: StateSecret[],
    opts: TeardownOptions,
): Promise<PolicyInForce | { problem: string }> {
    // The project's namespace (from the resources' URNs: the dynamic Secret's keys) and the plugin's where it has Secrets.
    const namespaces = [...new Set(secrets.flatMap((s) => [s.urn.split("::")[1] ?? "", s.project]))].filter((n) => n);
    const got = await withDeletionKeys(read, where.cli, where.scope, where.cwd, namespaces);
    if (!got.ok) return { problem: got.problem };
    const config: Record<string, string> = {};
    for (const k of got.keys) {
        const v = got.get(k);
        if (v !== undefined) config[k] = v;
    }
    const settings: Record<string, DeletionKeys> = {};
    for (const ns of namespaces) {
        const key = (k: string) => got.get(`${ns}:${k}`);
        const keys: DeletionKeys = {
            recoveryWindowInDays: key("recoveryWindowInDays"),
            forceDelete: key("forceDelete"),
            teardownProtection: key("teardownProtection"),
            inUseGuardDays: key("inUseGuardDays"),
        };
        if (opts.deletion === "force") Object.assign(keys, { forceDelete: "true", recoveryWindowInDays: undefined });
        else if (opts.deletion !== undefined) Object.assign(keys, { recoveryWindowInDays: String(opts.deletion), forceDelete: undefined });
        settings[ns] = JSON.parse(JSON.stringify(keys)) as DeletionKeys;
        for (const [k, v] of Object.entries(keys)) {
            if (v === undefined) delete config[`${ns}:${k}`];
            else config[`${ns}:${k}`] = v;
        }
    }
    return { settings, source: opts.deletion === undefined ? "current" : "teardown", config };
}

/** A refusal or failure of a gate: the run's reason, and each secret's own message where the gate named it. */
export interface GateStop {
    refused: boolean;
    reason: string;
    byUrn: Map<string, string>;
    /** The secrets refused as in use, with the day the state last saw them accessed. */
    inUse?: Map<string, string>;
    /** Every secret takes the run's outcome (a pack's judgement of the stack), not only those named. */
    all?: boolean;
}

export function keptSecret(s: StateSecret, detail: string): SecretOutcome {
    return { urn: s.urn, id: s.id, name: s.name, ...(s.region ? { region: s.region } : {}), outcome: "kept", detail };
}

/** Each secret's line when a gate stopped the run: refused (or in use) where the gate named it, else kept. */
export function gateOutcomes(before: StateSecret[], stop: GateStop): SecretOutcome[] {
    return before.map((s) => {
        const own = stop.byUrn.get(s.urn);
        const lastAccessedDate = stop.inUse?.get(s.urn);
        const refused = stop.refused && (own !== undefined || stop.all === true);
        return {
            ...keptSecret(s, own ?? "not deleted: the teardown stopped before the destroy"),
            outcome: lastAccessedDate ? "in-use" : refused ? "refused" : "kept",
            ...(lastAccessedDate ? { lastAccessedDate } : {}),
        };
    });
}

/**
 * Undefined when every secret's delete may go ahead; else the refusals. The decision is policy.ts's, fed exactly what
 * the destroy's delete will be fed (teardown-run.ts): the same keys, validated by the same code.
 */
export function decisionGate(secrets: StateSecret[], policy: PolicyInForce, io: GateIo): GateStop | undefined {
    io.progress("checking each secret's delete against the policy");
    const byUrn = new Map<string, string>();
    const inUseAt = new Map<string, string>();
    for (const s of secrets) {
        const current = runConfig(policy.settings[s.project] ?? {}, s.project, policy.source);
        const d = destroyDecision(s.props, current.stack, current);
        if (d.kind === "refuse") {
            byUrn.set(s.urn, d.fix ? `${d.reason} — ${d.fix}` : d.reason);
            continue;
        }
        // The in-use guard as the delete will apply it, on the last access the state knows (from the last refresh);
        // the delete asks AWS again, so a secret the state saw idle is still guarded.
        const accessed = typeof s.props.lastAccessedDate === "string" ? new Date(s.props.lastAccessedDate) : undefined;
        const inUse = d.policy.mode === "force" ? inUseRefusal(s.name, accessed, d.inUseGuard, Date.now()) : undefined;
        if (inUse && accessed) {
            byUrn.set(s.urn, `${inUse} (as of the stack's last refresh)`);
            inUseAt.set(s.urn, accessed.toISOString());
        }
    }
    if (!byUrn.size) return undefined;
    return {
        refused: true,
        reason: `refused by policy, nothing was deleted: ${[...new Set(byUrn.values())].join("; ")}`,
        byUrn,
        inUse: inUseAt,
    };
}

/**
 * Undefined when the packs passed the stack; else why not. They judge the resources in state, as `pulumi policy
 * analyze` shows them, with the configuration the destroy will apply (pack-gate.ts).
 */
async function packGate(
    where: CliPlace,
    secrets: StateSecret[],
    policy: PolicyInForce,
    opts: TeardownOptions,
    io: GateIo,
): Promise<GateStop | undefined> {
    const packs = `policy pack${opts.policyPacks.length > 1 ? "s" : ""} ${opts.policyPacks.join(", ")}`;
    io.progress(`judging the stack's resources with ${packs} (pulumi policy analyze)`);
    let judged: PackJudgement;
    try {
        const parts = opts.stack.split("/");
        // The organization as the stack's name gives it, else as a secret recorded it ("org/project/stack").
        const recorded = secrets.map((s) => s.props.stack).find((x): x is string => typeof x === "string" && x.split("/").length === 3);
        judged = await analyzeWithPacks({
            command: where.cli,
            cwd: where.cwd,
            stack: opts.stack,
            policyPacks: opts.policyPacks.map((p) => path.resolve(p)),
            policyPackConfigs: opts.policyPackConfigs.map((p) => path.resolve(p)),
            env: {},
            // The packs judge the policy the destroy will apply: the teardown's flags over the stack's keys.
            config: policy.config,
            identity: {
                project: secrets[0]?.urn.split("::")[1] ?? "",
                stack: parts[parts.length - 1]!,
                organization: parts.length === 3 ? parts[0] : recorded?.split("/")[0],
            },
        });
    } catch (e) {
        judged = { kind: "failed", reason: engineError(e, opts.stack) };
    }
    switch (judged.kind) {
        case "passed":
            return undefined;
        case "refused":
            return packRefusal(judged.refusals);
        case "failed":
            return { refused: false, reason: `the policy analysis failed, nothing was deleted: ${judged.reason}`, byUrn: new Map() };
        case "unsupported":
            // A preview (the only other place a pack judges) would judge the stack's configuration as committed, not the
            // policy this destroy applies, which no file holds.
            return {
                refused: false,
                reason:
                    "this pulumi CLI has no `pulumi policy analyze`, which judges the stack's state under the teardown's policy; " +
                    "nothing was deleted — upgrade the pulumi CLI, or run without --policy-pack",
                byUrn: new Map(),
            };
    }
}

/** A mandatory rule's refusal of the stack (a re-run cannot help): every secret takes it, each with its own messages. */
function packRefusal(refusals: PackRefusal[]): GateStop {
    const byUrn = new Map<string, string>();
    for (const r of refusals) if (r.urn) byUrn.set(r.urn, byUrn.has(r.urn) ? `${byUrn.get(r.urn)}; ${r.message}` : r.message);
    const reasons = [...new Set(refusals.map((r) => r.message))];
    return { refused: true, reason: `refused by policy, nothing was deleted: ${reasons.join("; ")}`, byUrn, all: true };
}
