// Command-line arguments of every `pulumi-safe-secret` command, parsed with node's own util.parseArgs. Pure.

import { parseArgs } from "node:util";
import { parseDuration, parseWholeNumber } from "../core/parse";
import { MAX_RECOVERY_WINDOW_DAYS, MIN_RECOVERY_WINDOW_DAYS, parseRecoveryWindow, WINDOW_RANGE } from "../core/policy";

export class UsageError extends Error {}

/** "force": force delete; a number: that recovery window; undefined: the stack's configuration as it is. */
export type DeletionChoice = "force" | number | undefined;

export interface TeardownOptions {
    stack: string;
    cwd: string;
    deletion: DeletionChoice;
    removeStack: boolean;
    /** A stack that does not exist is success (a re-run after a finished teardown), not exit 3. */
    allowMissing: boolean;
    /** Remove a lock left by a killed run first (`pulumi cancel`); only where nothing else can be updating the stack. */
    unlock: boolean;
    /**
     * Run the program in the destroy, for stacks whose other providers need the configuration as it is now (the
     * Secrets never do: the policy travels in the destroy's environment). Off by default: a program that no longer
     * compiles or runs must not keep an environment alive.
     */
    runProgram: boolean;
    policyPacks: string[];
    policyPackConfigs: string[];
    summaryFile?: string | undefined;
    /** Environment for the engine and the provider (the sweep shares AWS's quota out this way). */
    env?: Record<string, string> | undefined;
}

export interface SweepOptions {
    /** Stack name patterns (`*`, `?`); a stack matching any is a candidate. */
    stacks: string[];
    /** Only stacks whose last update is longer ago than this. */
    idleForMs: number;
    cwd: string;
    deletion: DeletionChoice;
    concurrency: number;
    /** AWS's control-plane quota per region that the K teardowns share. */
    maxCallsPerSecond: number;
    dryRun: boolean;
    json: boolean;
    removeStack: boolean;
    policyPacks: string[];
    policyPackConfigs: string[];
    summaryFile?: string | undefined;
}

/** Where the undo learns what was scheduled: a teardown's or a sweep's JSON summary, or the stack's own history. */
export type UndoSource = { from: string } | { stack: string; cwd: string };

export type UndoOptions = UndoSource & { summaryFile?: string | undefined };

export type Command =
    | { command: "teardown"; options: TeardownOptions }
    | { command: "sweep"; options: SweepOptions }
    | { command: "undo"; options: UndoOptions }
    | { command: "help"; text: string };

const DELETION_HELP = `  --force-delete               delete every secret without recovery (forceDelete true, for this run only)
  --recovery-window <days>     keep secrets recoverable for ${MIN_RECOVERY_WINDOW_DAYS}–${MAX_RECOVERY_WINDOW_DAYS} days (recoveryWindowInDays, for this run only)
                               (neither: each stack's configuration as it is)`;
const PACK_HELP = `  --policy-pack <dir>          judge the stack's resources with this policy pack before the destroy
                               (pulumi policy analyze, with the teardown's policy) (repeatable)
  --policy-pack-config <file>  its configuration (repeatable, in the same order)`;

const SUMMARY_FILE_HELP = `  --summary-file <file>        also write the JSON summary there (atomically); its folder must exist and be
                               writable, checked before anything is done (else exit 64)`;
const EXIT_74 = "74 done, but the --summary-file could not be written (the summary is on stdout)";

export const USAGE = {
    teardown: `usage: pulumi-safe-secret teardown --stack <name> [options]

Tears a stack down for a pipeline: works out the deletion policy (the stack's keys, a flag below over them), judges the
stack (teardown protection, invalid guards and policy packs refuse here, before anything is deleted), destroys every
resource of the stack without running its program, and optionally removes the stack. The policy travels in the destroy's
environment, bound to this run and this stack's secrets: no file of the project is written. One run per stack at a time
(another reaching it reports it busy). Prints one line per secret the stack manages and, last, a JSON summary. Safe to
re-run: a run after a failure finishes the job once its cause is fixed.

  --stack <name>               the stack to tear down (required)
  --cwd <dir>                  the Pulumi project directory (default: the current directory)
${DELETION_HELP}
  --remove-stack               remove the stack once nothing is left in it
  --allow-missing              a stack that does not exist is success (a re-run of a finished teardown);
                               without it, exit 3
  --unlock                     first remove a lock left by a killed run (pulumi cancel); only where nothing
                               else can be updating the stack (e.g. a pipeline's concurrency group)
  --run-program                run the program in the destroy, for stacks whose other providers need the
                               configuration as it is now (the Secrets do not: the policy travels with the
                               destroy); by default the program is not run, so one that no longer compiles or
                               runs is torn down like any other
  --no-preview                 accepted for scripts written for 0.4.0: the program is not run (the default)
${PACK_HELP}
${SUMMARY_FILE_HELP}

exit codes: 0 done · 1 failed (re-run once the reason is fixed), or busy (another run is tearing the stack down;
nothing touched) · 2 refused by policy (nothing more will happen on a re-run) · 3 no such stack · 64 usage · ${EXIT_74}`,
    sweep: `usage: pulumi-safe-secret sweep --stacks <pattern> --idle-for <duration> [options]

Tears down every stack of the backend whose name matches a pattern and whose last update is older than the bound,
each with the teardown command's guarantees (policy, decision gate, policy packs), at most K at a time, sharing AWS's
per-region quota between them. A stack whose teardownProtection (<project>: or safesecret:) is true, is not exactly
true or false, or cannot be read is never taken: it is listed as protected, for a human's \`teardown --stack\`.
One line per stack as it finishes, then a JSON summary. Re-running after a partial failure finishes the job.

  --stacks <pattern>           stack names to consider: * and ? match (repeatable; required)
  --idle-for <duration>        only stacks not updated for longer than this: 90m, 72h, 3d, 1h30m (required)
  --cwd <dir>                  the Pulumi project directory (default: the current directory)
${DELETION_HELP}
  --concurrency <K>            stacks torn down at once (default 2)
  --max-calls-per-second <n>   AWS's control-plane quota per region, shared by the K teardowns (default 50)
  --remove-stack               remove each stack once nothing is left in it
  --dry-run                    list what would be torn down and why; touch nothing
  --json                       with --dry-run: print only the JSON list (for a pipeline's matrix); the protected
                               stacks kept out are said on stderr
${PACK_HELP}
${SUMMARY_FILE_HELP}

exit codes: 0 done (or nothing idle) · 1 some failed, re-run to finish · 2 some refused by policy · 64 usage ·
${EXIT_74}`,
    undo: `usage: pulumi-safe-secret undo (--from <summary.json> | --stack <name> [--cwd <dir>]) [--summary-file <file>]

Restores what a teardown or a sweep scheduled for deletion, from its JSON summary, or — for a stack that still
exists — from the stack's state before its last destroy (its history: \`pulumi stack export --version\` where the
backend keeps versions, the checkpoints a file backend keeps). Every entry is checked first: its id must be a
Secrets Manager ARN whose secret AWS names as the entry does, in the entry's region; a summary with an entry that
does not hold together is refused whole, and nothing is restored from it. Then RestoreSecret for each secret the
teardown scheduled (outcome "scheduled") that is still in its recovery window, and its replicas re-created where
the summary or that state recorded them. A secret that was already scheduled before the teardown is left as it is;
secrets that were force-deleted, or whose window has ended, are reported as not recoverable. One line per secret,
then a JSON summary. Take the secrets back into a stack with \`adopt: true\` on each Secret and \`pulumi up\`: they
keep their ARNs.

exit codes: 0 done, or nothing to restore (the summary reports no secret the teardown scheduled or deleted) ·
1 some could not be restored (each says why), or the stack's history has no destroy to undo ·
64 usage: the summary is not one, or does not hold together (each entry at fault is named); no such stack
(a teardown with --remove-stack removes its history too: undo --from its summary) · ${EXIT_74}`,
};

export const COMMANDS_USAGE = `usage: pulumi-safe-secret <teardown | sweep | undo> [options]   (--help after a command for its options)

${USAGE.teardown.split("\n")[0]}
${USAGE.sweep.split("\n")[0]}
${USAGE.undo.split("\n")[0]}`;

type FlagValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

function parseFlags(args: string[], options: Record<string, { type: "string" | "boolean"; multiple?: boolean }>): FlagValues {
    try {
        return parseArgs({ args, options: { ...options, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: false })
            .values as FlagValues;
    } catch (e) {
        throw new UsageError(((e as Error).message.split("\n")[0] ?? String(e)).trim());
    }
}

const stringFlag = (value: FlagValues[string]): string | undefined => (typeof value === "string" ? value : undefined);
const stringFlags = (value: FlagValues[string]): string[] =>
    Array.isArray(value) ? value.filter((x): x is string => typeof x === "string") : [];

const DELETION_OPTIONS = { "force-delete": { type: "boolean" }, "recovery-window": { type: "string" } } as const;
const PACK_OPTIONS = {
    "policy-pack": { type: "string", multiple: true },
    "policy-pack-config": { type: "string", multiple: true },
} as const;

function deletionOf(flags: FlagValues): DeletionChoice {
    const raw = stringFlag(flags["recovery-window"]);
    if (flags["force-delete"] && raw !== undefined) throw new UsageError("give only one of --force-delete and --recovery-window");
    if (flags["force-delete"]) return "force";
    if (raw === undefined) return undefined;
    const days = parseRecoveryWindow(raw);
    if (days === undefined)
        throw new UsageError(`--recovery-window is ${JSON.stringify(raw)}, but AWS accepts only a whole number of days ${WINDOW_RANGE}`);
    return days;
}

function packsOf(flags: FlagValues): { policyPacks: string[]; policyPackConfigs: string[] } {
    const policyPacks = stringFlags(flags["policy-pack"]);
    const policyPackConfigs = stringFlags(flags["policy-pack-config"]);
    if (policyPackConfigs.length > policyPacks.length) throw new UsageError("each --policy-pack-config needs a --policy-pack");
    return { policyPacks, policyPackConfigs };
}

/** The largest --concurrency or --max-calls-per-second taken. */
const COUNT_FLAG_MAX = 9999;

/** A count flag's value (1–9999, parse.ts's grammar), `fallback` when the flag is not given. */
function countFlag(raw: string | undefined, flag: string, fallback: number): number {
    if (raw === undefined) return fallback;
    const n = parseWholeNumber(raw, 1, COUNT_FLAG_MAX);
    if (n === undefined) throw new UsageError(`${flag} is ${JSON.stringify(raw)}, but it takes a whole number from 1`);
    return n;
}

export function parseTeardownArgs(argv: string[]): TeardownOptions {
    const flags = parseFlags(argv, {
        stack: { type: "string" },
        cwd: { type: "string" },
        ...DELETION_OPTIONS,
        "remove-stack": { type: "boolean" },
        "allow-missing": { type: "boolean" },
        unlock: { type: "boolean" },
        "no-preview": { type: "boolean" },
        "run-program": { type: "boolean" },
        ...PACK_OPTIONS,
        "summary-file": { type: "string" },
    });
    const stack = stringFlag(flags.stack);
    if (!stack) throw new UsageError("--stack is required");
    if (flags["no-preview"] && flags["run-program"])
        throw new UsageError("give only one of --run-program and --no-preview (which means: do not run it)");
    const packs = packsOf(flags);
    return {
        stack,
        cwd: stringFlag(flags.cwd) ?? ".",
        deletion: deletionOf(flags),
        removeStack: !!flags["remove-stack"],
        allowMissing: !!flags["allow-missing"],
        unlock: !!flags.unlock,
        runProgram: !!flags["run-program"],
        ...packs,
        summaryFile: stringFlag(flags["summary-file"]),
    };
}

export function parseSweepArgs(argv: string[]): SweepOptions {
    const flags = parseFlags(argv, {
        stacks: { type: "string", multiple: true },
        "idle-for": { type: "string" },
        cwd: { type: "string" },
        ...DELETION_OPTIONS,
        concurrency: { type: "string" },
        "max-calls-per-second": { type: "string" },
        "remove-stack": { type: "boolean" },
        "dry-run": { type: "boolean" },
        json: { type: "boolean" },
        ...PACK_OPTIONS,
        "summary-file": { type: "string" },
    });
    const stacks = stringFlags(flags.stacks);
    if (stacks.length === 0) throw new UsageError("--stacks is required (a pattern such as 'pr-*')");
    const rawIdle = stringFlag(flags["idle-for"]);
    if (rawIdle === undefined) throw new UsageError("--idle-for is required (e.g. 72h)");
    const idleForMs = parseDuration(rawIdle);
    if (idleForMs === undefined || !Number.isSafeInteger(idleForMs))
        throw new UsageError(`--idle-for is ${JSON.stringify(rawIdle)}; give a whole number and a unit: 90m, 72h, 3d`);
    if (flags.json && !flags["dry-run"]) throw new UsageError("--json lists what a --dry-run would tear down; give both");
    return {
        stacks,
        idleForMs,
        cwd: stringFlag(flags.cwd) ?? ".",
        deletion: deletionOf(flags),
        concurrency: countFlag(stringFlag(flags.concurrency), "--concurrency", 2),
        maxCallsPerSecond: countFlag(stringFlag(flags["max-calls-per-second"]), "--max-calls-per-second", 50),
        dryRun: !!flags["dry-run"],
        json: !!flags.json,
        removeStack: !!flags["remove-stack"],
        ...packsOf(flags),
        summaryFile: stringFlag(flags["summary-file"]),
    };
}

export function parseUndoArgs(argv: string[]): UndoOptions {
    const flags = parseFlags(argv, {
        from: { type: "string" },
        stack: { type: "string" },
        cwd: { type: "string" },
        "summary-file": { type: "string" },
    });
    const from = stringFlag(flags.from);
    const stack = stringFlag(flags.stack);
    const summaryFile = stringFlag(flags["summary-file"]);
    if (from && stack) throw new UsageError("give --from <summary.json> or --stack <name>, not both");
    if (stack) return { stack, cwd: stringFlag(flags.cwd) ?? ".", summaryFile };
    if (flags.cwd !== undefined) throw new UsageError("--cwd goes with --stack (the project whose stack's history is read)");
    if (!from)
        throw new UsageError(
            "--from <summary.json> (the summary a teardown or sweep wrote) or --stack <name> (its state before the last destroy) is required",
        );
    return { from, summaryFile };
}

/** The command and its options; `--help` anywhere after a command gives that command's usage. */
export function parseCommand(argv: string[]): Command {
    const [name, ...rest] = argv;
    if (name === undefined) throw new UsageError("no command given");
    if (name === "--help" || name === "-h" || name === "help") return { command: "help", text: COMMANDS_USAGE };
    if (name !== "teardown" && name !== "sweep" && name !== "undo") throw new UsageError(`unknown command ${JSON.stringify(name)}`);
    if (rest.includes("--help") || rest.includes("-h")) return { command: "help", text: USAGE[name] };
    if (name === "teardown") return { command: name, options: parseTeardownArgs(rest) };
    if (name === "sweep") return { command: name, options: parseSweepArgs(rest) };
    return { command: name, options: parseUndoArgs(rest) };
}

export function describeDeletion(deletion: DeletionChoice): string {
    if (deletion === "force") return "force delete without recovery (set by teardown)";
    if (typeof deletion === "number") return `recovery window of ${deletion} days (set by teardown)`;
    return "the stack's configuration";
}
