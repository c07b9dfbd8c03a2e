// Command-line arguments of `pulumi-safe-secret teardown`, parsed without dependencies. Pure.

import { MAX_RECOVERY_WINDOW_DAYS, MIN_RECOVERY_WINDOW_DAYS, parseRecoveryWindow, WINDOW_RANGE } from "../policy";

export interface TeardownOptions {
    stack: string;
    cwd: string;
    /** "force": force delete; a number: that recovery window; undefined: the stack's configuration as it is. */
    deletion?: "force" | number;
    removeStack: boolean;
    /** A stack that does not exist is success (a re-run after a finished teardown), not exit 3. */
    allowMissing: boolean;
    /** Remove a lock left by a killed run first (`pulumi cancel`); only where nothing else can be updating the stack. */
    unlock: boolean;
    /** Skip the preview gate (the program cannot run any more); the provider's teardown protection still holds. */
    noPreview: boolean;
    policyPacks: string[];
    policyPackConfigs: string[];
    summaryFile?: string;
}

export const USAGE = `usage: pulumi-safe-secret teardown --stack <name> [options]

Tears a stack down for a pipeline: sets the deletion policy, previews (teardown protection and policy packs can refuse
here, before anything is deleted), destroys, and optionally removes the stack. Prints one line per secret and, last, a
JSON summary. Safe to re-run: a run after a failure finishes the job.

  --stack <name>               the stack to tear down (required)
  --cwd <dir>                  the Pulumi project directory (default: the current directory)
  --force-delete               delete every secret without recovery (sets forceDelete true)
  --recovery-window <days>     keep secrets recoverable for ${MIN_RECOVERY_WINDOW_DAYS}–${MAX_RECOVERY_WINDOW_DAYS} days (sets recoveryWindowInDays)
                               (neither: the stack's configuration as it is)
  --remove-stack               remove the stack once nothing is left in it
  --allow-missing              a stack that does not exist is success (a re-run of a finished teardown);
                               without it, exit 3
  --unlock                     first remove a lock left by a killed run (pulumi cancel); only where nothing
                               else can be updating the stack (e.g. a pipeline's concurrency group)
  --no-preview                 skip the preview gate (for a stack whose program no longer runs); teardown
                               protection is still enforced by the provider at destroy, policy packs are not
  --policy-pack <dir>          run this policy pack in the preview gate (repeatable)
  --policy-pack-config <file>  its configuration (repeatable, in the same order)
  --summary-file <file>        also write the JSON summary there

Destroys every resource of the stack (not only secrets) and reports each secret the stack manages.

exit codes: 0 done · 1 failed, re-run to finish · 2 refused by policy (nothing more will happen on a re-run) ·
3 no such stack · 64 usage`;

export class UsageError extends Error {}

export function parseTeardownArgs(argv: string[]): TeardownOptions {
    const opts: TeardownOptions = {
        stack: "",
        cwd: ".",
        removeStack: false,
        allowMissing: false,
        unlock: false,
        noPreview: false,
        policyPacks: [],
        policyPackConfigs: [],
    };
    const value = (i: number, flag: string): string => {
        const v = argv[i + 1];
        if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
        return v;
    };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        switch (a) {
            case "--stack":
                opts.stack = value(i++, a);
                break;
            case "--cwd":
                opts.cwd = value(i++, a);
                break;
            case "--force-delete":
                if (opts.deletion !== undefined) throw new UsageError("give only one of --force-delete and --recovery-window");
                opts.deletion = "force";
                break;
            case "--recovery-window": {
                if (opts.deletion !== undefined) throw new UsageError("give only one of --force-delete and --recovery-window");
                const raw = value(i++, a);
                const days = parseRecoveryWindow(raw);
                if (days === undefined)
                    throw new UsageError(
                        `--recovery-window is ${JSON.stringify(raw)}, but AWS accepts only a whole number of days ${WINDOW_RANGE}`,
                    );
                opts.deletion = days;
                break;
            }
            case "--remove-stack":
                opts.removeStack = true;
                break;
            case "--allow-missing":
                opts.allowMissing = true;
                break;
            case "--unlock":
                opts.unlock = true;
                break;
            case "--no-preview":
                opts.noPreview = true;
                break;
            case "--policy-pack":
                opts.policyPacks.push(value(i++, a));
                break;
            case "--policy-pack-config":
                opts.policyPackConfigs.push(value(i++, a));
                break;
            case "--summary-file":
                opts.summaryFile = value(i++, a);
                break;
            default:
                throw new UsageError(`unknown argument ${JSON.stringify(a)}`);
        }
    }
    if (!opts.stack) throw new UsageError("--stack is required");
    if (opts.policyPackConfigs.length > opts.policyPacks.length) throw new UsageError("each --policy-pack-config needs a --policy-pack");
    if (opts.noPreview && opts.policyPacks.length)
        throw new UsageError("--policy-pack runs in the preview, which --no-preview skips: give one or the other");
    return opts;
}

export function describeDeletion(deletion: TeardownOptions["deletion"]): string {
    if (deletion === "force") return "force delete without recovery (set by teardown)";
    if (typeof deletion === "number") return `recovery window of ${deletion} days (set by teardown)`;
    return "the stack's configuration";
}
