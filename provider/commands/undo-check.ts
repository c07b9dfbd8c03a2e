// What the undo decides before and after it asks AWS (pure: no I/O). A summary is a file a person can edit, and the
// undo acts on the ARNs in it, so nothing is restored from it unless every entry holds together: its shape first, then
// each entry against what AWS answers for its ARN. Which secrets the undo restores is decided from the teardown's
// typed outcome, never from its words.

import type { Described } from "../aws/secrets";
import { EXIT, SecretOutcome, SecretOutcomeKind } from "./outcome";

/** Every outcome a teardown reports (a Record, so that a new kind cannot be left out of the check). */
const KNOWN_OUTCOMES: Record<SecretOutcomeKind, true> = {
    scheduled: true,
    "force-deleted": true,
    "already-gone": true,
    "already-scheduled": true,
    refused: true,
    "in-use": true,
    failed: true,
    kept: true,
    unreported: true,
};

/** Outcomes after which the teardown took the secret away: the undo is asked to bring these back. */
const TAKEN_BY_TEARDOWN: ReadonlySet<SecretOutcomeKind> = new Set(["scheduled", "force-deleted"]);

/** arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters AWS adds> */
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:.+$/;

export const regionOfSecretArn = (arn: string): string | undefined => SECRET_ARN.exec(arn)?.[1];

/** An entry (or the whole file) that does not hold together: where it is, who it claims to be, and what disagrees. */
export interface SummaryProblem {
    /** Its place in the summary: "secrets[2]", "stacks[1].secrets[0]", or "(the summary)". */
    at: string;
    name?: string;
    id?: string;
    problem: string;
}

/** An entry that passed the shape check: a SecretOutcome whose id is a secret's ARN and whose region is the ARN's. */
export interface CheckedEntry {
    at: string;
    secret: SecretOutcome & { region: string };
}

export type ShapeCheck = { ok: true; entries: CheckedEntry[] } | { ok: false; problems: SummaryProblem[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const json = (v: unknown) => JSON.stringify(v) ?? String(v);

/** The entries of a teardown's summary (`secrets`) or a sweep's (`stacks[].secrets`), each with its place. */
function rawEntries(summary: unknown): { at: string; value: unknown }[] | SummaryProblem {
    const whole = "(the summary)";
    if (!isObject(summary))
        return { at: whole, problem: `it is ${json(summary).slice(0, 40)}, not a teardown's or a sweep's JSON summary` };
    if (summary.secrets === undefined && summary.stacks === undefined)
        return { at: whole, problem: "it has neither `secrets` (a teardown's summary) nor `stacks` (a sweep's)" };
    const out: { at: string; value: unknown }[] = [];
    if (summary.secrets !== undefined) {
        if (!Array.isArray(summary.secrets)) return { at: "secrets", problem: `it is ${json(summary.secrets).slice(0, 40)}, not a list` };
        summary.secrets.forEach((value, i) => out.push({ at: `secrets[${i}]`, value }));
    }
    if (summary.stacks !== undefined) {
        if (!Array.isArray(summary.stacks)) return { at: "stacks", problem: `it is ${json(summary.stacks).slice(0, 40)}, not a list` };
        for (const [i, stack] of summary.stacks.entries()) {
            const secrets: unknown = isObject(stack) ? stack.secrets : undefined;
            if (!Array.isArray(secrets)) return { at: `stacks[${i}]`, problem: "it has no `secrets` list" };
            secrets.forEach((value, j) => out.push({ at: `stacks[${i}].secrets[${j}]`, value }));
        }
    }
    return out;
}

/** What is wrong with one entry's fields, or undefined when they hold together. */
function entryShapeProblem(e: Record<string, unknown>): string | undefined {
    if (typeof e.id !== "string") return `its id is ${json(e.id)}, not a string (the secret's ARN)`;
    const arnRegion = regionOfSecretArn(e.id);
    if (!arnRegion) return `its id ${json(e.id)} is not a Secrets Manager ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)`;
    if (typeof e.name !== "string" || e.name === "") return `its name is ${json(e.name)}, not a secret's name`;
    if (typeof e.outcome !== "string" || !Object.hasOwn(KNOWN_OUTCOMES, e.outcome))
        return `its outcome is ${json(e.outcome)}, not one a teardown reports (${Object.keys(KNOWN_OUTCOMES).join(", ")})`;
    if (e.region !== undefined && e.region !== arnRegion)
        return `its region is ${json(e.region)}, but its ARN is in ${arnRegion}: the entry names two different secrets`;
    const replicas = e.replicasRemoved;
    if (replicas !== undefined && !(Array.isArray(replicas) && replicas.every((r) => typeof r === "string" && /^[a-z0-9-]+$/.test(r))))
        return `its replicasRemoved is ${json(replicas)}, not a list of regions`;
    return undefined;
}

/** Every entry of a parsed summary, or every problem with it: one bad entry refuses the whole summary. */
export function checkSummaryShape(summary: unknown): ShapeCheck {
    const raw = rawEntries(summary);
    if (!Array.isArray(raw)) return { ok: false, problems: [raw] };
    const entries: CheckedEntry[] = [];
    const problems: SummaryProblem[] = [];
    for (const { at, value } of raw) {
        if (!isObject(value)) {
            problems.push({ at, problem: `it is ${json(value).slice(0, 40)}, not an object with the secret's id, name and outcome` });
            continue;
        }
        const problem = entryShapeProblem(value);
        const who = {
            ...(typeof value.name === "string" ? { name: value.name } : {}),
            ...(typeof value.id === "string" ? { id: value.id } : {}),
        };
        if (problem) problems.push({ at, ...who, problem });
        else {
            const secret = value as unknown as SecretOutcome;
            entries.push({ at, secret: { ...secret, region: regionOfSecretArn(secret.id)! } });
        }
    }
    return problems.length ? { ok: false, problems } : { ok: true, entries };
}

/**
 * Whether AWS's answer for the entry's ARN is the secret the entry names. Not found is no disagreement: a scheduled
 * secret whose recovery window has ended, or a force-deleted one, is gone from AWS (the undo reports it not recoverable).
 */
export function awsProblem(entry: CheckedEntry, described: Described | undefined): SummaryProblem | undefined {
    if (!described) return undefined;
    const { name, id } = entry.secret;
    const problem =
        described.Name !== name
            ? `its name is ${json(name)}, but AWS's secret at that ARN is ${json(described.Name)}: the entry names two different secrets`
            : described.ARN !== undefined && described.ARN !== id
              ? `AWS answers for it with the ARN ${described.ARN}: the entry's id is not that secret's ARN`
              : undefined;
    return problem ? { at: entry.at, name, id, problem } : undefined;
}

export type UndoOutcome = "restored" | "already-live" | "not-scheduled" | "not-recoverable" | "failed";

/** What the undo does with one checked entry, decided from its outcome and what AWS holds now. */
export type RestoreDecision =
    | { action: "restore"; replicas: string[] }
    | { action: "report"; outcome: Exclude<UndoOutcome, "restored" | "failed">; detail: string; replicas: string[] };

export function restoreDecision(s: SecretOutcome, described: Described | undefined, liveReplicas: string[]): RestoreDecision {
    const replicas = (s.replicasRemoved ?? []).filter((r) => !liveReplicas.includes(r));
    const report = (outcome: Exclude<UndoOutcome, "restored" | "failed">, detail: string, again: string[] = []) => ({
        action: "report" as const,
        outcome,
        detail,
        replicas: again,
    });
    switch (s.outcome) {
        case "force-deleted":
            return report("not-recoverable", "the teardown deleted it without recovery");
        case "already-scheduled":
            return report(
                "not-scheduled",
                "the teardown did not schedule it: it was already scheduled for deletion before the teardown; left as it is",
            );
        case "already-gone":
            return report("not-scheduled", "the teardown did not delete it: it was already gone");
        case "scheduled":
            if (!described) return report("not-recoverable", "AWS no longer has it (its recovery window ended, or it was deleted since)");
            if (!described.DeletedDate) return report("already-live", "not scheduled for deletion any more; nothing to restore", replicas);
            return { action: "restore", replicas };
        default:
            return report("not-scheduled", `the teardown left it ${s.outcome}; nothing to restore`);
    }
}

/** One secret as the undo reports it. */
export interface UndoneSecret {
    id: string;
    name: string;
    region: string;
    /** What the teardown reported for it: what the undo decided from. */
    teardownOutcome: SecretOutcomeKind;
    outcome: UndoOutcome;
    detail: string;
    replicasRecreated?: string[] | undefined;
}

export interface UndoSummary {
    v: 1;
    /**
     * done: every secret the teardown took away is back · nothing-to-do: the teardown took none away · failed: some
     * could not be restored (or could not be checked), each says why · refused: the summary does not hold together
     * (see problems), nothing restored.
     */
    result: "done" | "nothing-to-do" | "failed" | "refused";
    exitCode: number;
    secrets: UndoneSecret[];
    reason?: string;
    problems?: SummaryProblem[];
}

const countBy = (xs: string[]) => Object.entries(xs.reduce<Record<string, number>>((n, x) => ({ ...n, [x]: (n[x] ?? 0) + 1 }), {}));
const counted = (xs: string[]) =>
    countBy(xs)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ");

/** The result of an undo that ran: judged on the secrets the teardown took away (scheduled or force-deleted). */
export function undoResult(secrets: UndoneSecret[], source: string): UndoSummary {
    const asked = secrets.filter((s) => TAKEN_BY_TEARDOWN.has(s.teardownOutcome));
    if (asked.length === 0) {
        const what = secrets.length ? ` (${counted(secrets.map((s) => s.teardownOutcome))})` : "";
        return {
            v: 1,
            result: "nothing-to-do",
            exitCode: EXIT.DONE,
            secrets,
            reason: `${source} has no secret the teardown scheduled or deleted${what}: nothing to restore`,
        };
    }
    const notBack = asked.filter((s) => s.outcome !== "restored" && s.outcome !== "already-live");
    if (notBack.length === 0) return { v: 1, result: "done", exitCode: EXIT.DONE, secrets, reason: counted(asked.map((s) => s.outcome)) };
    return {
        v: 1,
        result: "failed",
        exitCode: EXIT.FAILED,
        secrets,
        reason: `${notBack.length} of ${asked.length} secrets the teardown took away not restored (${counted(notBack.map((s) => s.outcome))}); each line says why`,
    };
}

export function refusedSummary(problems: SummaryProblem[], source: string): UndoSummary {
    return {
        v: 1,
        result: "refused",
        exitCode: EXIT.USAGE,
        secrets: [],
        problems,
        reason: `${source} does not hold together (${problems.length} ${problems.length === 1 ? "problem" : "problems"}, each naming the entry and what disagrees); nothing restored — undo from the summary the teardown wrote, as it wrote it`,
    };
}

export function problemLine(p: SummaryProblem): string {
    const who = [p.name, p.id].filter(Boolean).join(", ");
    return `✗ ${p.at}${who ? ` (${who})` : ""}: ${p.problem}`;
}

export function undoLine(u: UndoneSecret): string {
    const mark = u.outcome === "restored" || u.outcome === "already-live" ? "✓" : u.outcome === "not-scheduled" ? "·" : "✗";
    return `${mark} ${u.name} (${u.region}): ${u.outcome} — ${u.detail}${u.replicasRecreated ? `; replicas re-created in ${u.replicasRecreated.join(", ")}` : ""}`;
}
