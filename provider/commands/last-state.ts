// What a stack held before its last destroy, for `undo --stack`: the secrets a teardown scheduled are gone from the
// stack's current state, but the backend keeps the earlier versions. A backend that exports versions (Pulumi Cloud)
// answers `pulumi stack export --version N`; a file backend (`file://`) keeps a checkpoint beside each update in its
// history folder, which is read here. Either way the result is that state's Secret resources, nothing decrypted.

import * as fs from "fs";
import * as path from "path";
import { gunzipSync } from "zlib";
import type { LocalWorkspace } from "@pulumi/pulumi/automation";
import { runCli } from "../destroy-config";
import { SecretOutcome, secretInState, StateResource } from "./outcome";

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

/** The secrets the stack held when its last destroy began; throws, naming what to do, when that cannot be known. */
export async function secretsBeforeLastDestroy(ws: LocalWorkspace, stackName: string): Promise<SecretOutcome[]> {
    const stack = stackName.split("/").pop()!;
    const backend = (await ws.whoAmI()).url ?? process.env.PULUMI_BACKEND_URL ?? "";
    if (backend.startsWith("file://")) {
        const project = (await ws.projectSettings()).name;
        const history = fileHistory(backend.slice("file://".length).replace(/^~(?=\/)/, process.env.HOME ?? "~"), project, stack);
        let first = history.map((h) => h.kind).lastIndexOf("destroy");
        if (first < 0) throw new Error(`stack ${stackName} has no destroy in its history: nothing to undo`);
        // A teardown re-run after a failed destroy: the state before the first of those destroys holds them all.
        while (first > 0 && history[first - 1]!.kind === "destroy") first--;
        const before = history[first - 1];
        if (!before || !fs.existsSync(before.checkpoint))
            throw new Error(`the backend kept no state of ${stackName} from before its last destroy`);
        const cp = JSON.parse(readMaybeGzipped(before.checkpoint));
        return secretsOfDeployment(cp?.checkpoint?.latest?.resources ?? []);
    }
    const hist = await runCli(cli(), ["stack", "history", "--stack", stackName, "--json", "--non-interactive"], ws.workDir);
    if (!hist.ok) throw new Error(hist.problem);
    // Newest first; the first destroy of the last run of destroys (see above).
    const entries: { kind?: string; version?: number }[] = JSON.parse(hist.stdout || "[]");
    let at = entries.findIndex((e) => e.kind === "destroy");
    while (at >= 0 && entries[at + 1]?.kind === "destroy") at++;
    const destroy = entries[at];
    if (!destroy?.version) throw new Error(`stack ${stackName} has no destroy in its history: nothing to undo`);
    const exported = await runCli(
        cli(),
        ["stack", "export", "--stack", stackName, "--version", String(destroy.version - 1), "--non-interactive"],
        ws.workDir,
    );
    if (!exported.ok)
        throw new Error(
            `the backend cannot export ${stackName} as it was before its last destroy (${exported.problem}) — undo from the teardown's summary with --from <summary.json>`,
        );
    return secretsOfDeployment(JSON.parse(exported.stdout)?.deployment?.resources ?? []);
}
