// What a stack held before its last destroy, for `undo --stack`: the secrets a teardown scheduled are gone from the
// stack's current state, but the backend keeps the earlier versions. A backend that exports versions (Pulumi Cloud)
// answers `pulumi stack export --version N`; a file backend (`file://`) keeps a checkpoint beside each update in its
// history folder, which is read here. Either way the result is that state's Secret resources, nothing decrypted.

import * as fs from "fs";
import * as path from "path";
import { gunzipSync } from "zlib";
import type { LocalWorkspace } from "@pulumi/pulumi/automation";
import { runCli } from "../destroy-time/cli-config";
import { EXIT, SecretOutcome, secretInState, StateResource } from "./outcome";

/** Why the stack's history cannot say what to restore, with the exit code that tells a pipeline which case it is. */
export class HistoryUnavailable extends Error {
    constructor(
        message: string,
        /** USAGE: no such stack (a teardown with --remove-stack removes it and its history); FAILED: the history lacks it. */
        readonly exitCode: number,
    ) {
        super(message);
    }
}

const FROM_SUMMARY = "undo from the summary the teardown wrote: undo --from <summary.json>";

/** "pr-7" and "org/project/pr-7" are the same stack; "org/a/pr-7" and "org/b/pr-7" are not. */
export function sameStack(a: string, b: string): boolean {
    const [x, y] = [a.split("/").reverse(), b.split("/").reverse()];
    return x.slice(0, Math.min(x.length, y.length)).every((part, i) => part === y[i]);
}

/** A deployment's managed secrets as the undo takes them: each one scheduled, with the replica regions it had. */
export function secretsOfDeployment(resources: StateResource[]): SecretOutcome[] {
    return resources.flatMap((r) => {
        const secret = secretInState(r);
        if (!secret) return [];
        const replicas = r.outputs?.replicas;
        const regions = Array.isArray(replicas)
            ? replicas.map((x: { region?: unknown }) => x?.region).filter((x) => typeof x === "string")
            : [];
        return [
            {
                ...secret,
                outcome: "scheduled" as const,
                detail: "in the stack's state before its last destroy",
                ...(regions.length ? { replicasRemoved: regions as string[] } : {}),
            },
        ];
    });
}

const cli = () => process.env.PULUMI_SAFE_SECRET_CLI ?? "pulumi";

const readMaybeGzipped = (file: string) =>
    (file.endsWith(".gz") ? gunzipSync(fs.readFileSync(file)) : fs.readFileSync(file)).toString("utf8");

/** The file backend's history of a stack, oldest first: each update's kind and the checkpoint written after it. */
function fileHistory(backendDir: string, project: string, stack: string): { kind: string; checkpoint: string }[] {
    // Project-scoped layout (.pulumi/history/<project>/<stack>) since 3.61, the older one without the project.
    const dir = [path.join(backendDir, ".pulumi", "history", project, stack), path.join(backendDir, ".pulumi", "history", stack)].find(
        (d) => fs.existsSync(d),
    );
    if (!dir) return [];
    const updates = fs
        .readdirSync(dir)
        .map((f) => /^(.*)-(\d+)\.history\.(json(?:\.gz)?)$/.exec(f))
        .filter((m): m is RegExpExecArray => m !== null && m[1] === stack)
        .sort((a, b) => (BigInt(a[2]!) < BigInt(b[2]!) ? -1 : 1));
    return updates.map((m) => ({
        kind: String(JSON.parse(readMaybeGzipped(path.join(dir, m[0]))).kind),
        checkpoint: path.join(dir, `${m[1]}-${m[2]}.checkpoint.${m[3]}`),
    }));
}

/** Refusal for a stack the backend does not list (asked only once the history fails, so a normal undo pays no extra CLI call). */
async function missingStack(ws: LocalWorkspace, stackName: string): Promise<HistoryUnavailable | undefined> {
    if ((await ws.listStacks()).some((s) => sameStack(s.name, stackName))) return undefined;
    // A removed stack's history goes with it (the file backend deletes its history folder, Pulumi Cloud its updates).
    return new HistoryUnavailable(
        `stack ${stackName} does not exist in this backend, and its history went with it (a teardown with --remove-stack removes both) — check the name, or ${FROM_SUMMARY}`,
        EXIT.USAGE,
    );
}

/** The stack is not there, or it is and no destroy ran, or the backend keeps no record of one. */
async function noDestroy(ws: LocalWorkspace, stackName: string): Promise<HistoryUnavailable> {
    return (
        (await missingStack(ws, stackName)) ??
        new HistoryUnavailable(
            `stack ${stackName} has no destroy in its history (none ran, or the backend no longer keeps it), so its history cannot say what a teardown scheduled — if one did, ${FROM_SUMMARY}`,
            EXIT.FAILED,
        )
    );
}

/** The secrets the stack held when its last destroy began; throws HistoryUnavailable, naming what to do, when that cannot be known. */
export async function secretsBeforeLastDestroy(ws: LocalWorkspace, stackName: string): Promise<SecretOutcome[]> {
    const stack = stackName.split("/").pop()!;
    const backend = (await ws.whoAmI()).url ?? process.env.PULUMI_BACKEND_URL ?? "";
    if (backend.startsWith("file://")) {
        const project = (await ws.projectSettings()).name;
        const history = fileHistory(backend.slice("file://".length).replace(/^~(?=\/)/, process.env.HOME ?? "~"), project, stack);
        let first = history.map((h) => h.kind).lastIndexOf("destroy");
        if (first < 0) throw await noDestroy(ws, stackName);
        // A teardown re-run after a failed destroy: the state before the first of those destroys holds them all.
        while (first > 0 && history[first - 1]!.kind === "destroy") first--;
        const before = history[first - 1];
        if (!before || !fs.existsSync(before.checkpoint))
            throw new HistoryUnavailable(
                `the backend kept no state of ${stackName} from before its last destroy — ${FROM_SUMMARY}`,
                EXIT.FAILED,
            );
        const cp = JSON.parse(readMaybeGzipped(before.checkpoint));
        return secretsOfDeployment(cp?.checkpoint?.latest?.resources ?? []);
    }
    const hist = await runCli(cli(), ["stack", "history", "--stack", stackName, "--json", "--non-interactive"], ws.workDir);
    if (!hist.ok)
        throw (
            (await missingStack(ws, stackName)) ??
            new HistoryUnavailable(`cannot read the history of ${stackName}: ${hist.problem} — ${FROM_SUMMARY}`, EXIT.FAILED)
        );
    // Newest first; the first destroy of the last run of destroys (see above).
    const entries: { kind?: string; version?: number }[] = JSON.parse(hist.stdout || "[]");
    let at = entries.findIndex((e) => e.kind === "destroy");
    while (at >= 0 && entries[at + 1]?.kind === "destroy") at++;
    const destroy = entries[at];
    if (!destroy?.version) throw await noDestroy(ws, stackName);
    const exported = await runCli(
        cli(),
        ["stack", "export", "--stack", stackName, "--version", String(destroy.version - 1), "--non-interactive"],
        ws.workDir,
    );
    if (!exported.ok)
        throw new HistoryUnavailable(
            `the backend cannot export ${stackName} as it was before its last destroy (${exported.problem}) — ${FROM_SUMMARY}`,
            EXIT.FAILED,
        );
    return secretsOfDeployment(JSON.parse(exported.stdout)?.deployment?.resources ?? []);
}
