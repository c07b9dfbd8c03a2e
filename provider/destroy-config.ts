// The stack configuration in force when `pulumi destroy` runs.
//
// A plain `pulumi destroy` does not run the program, so the engine configures the dynamic provider with the
// inputs its default provider recorded at the last `pulumi up` (pulumi/pkg resource/deploy: providers are
// loaded from the snapshot); a `forceDelete` set after that up would not reach `configure`. Only
// `pulumi destroy --run-program` hands over the current configuration. So delete asks the Pulumi CLI that is
// running the destroy for the stack's current configuration (`pulumi config --json`), from the project
// directory the engine started this process in, and uses it over what `configure` received.

import { execFile } from "child_process";
import { StackSettings } from "./types";

export interface CurrentConfig {
    settings?: StackSettings;
    /** Why the current configuration could not be read, when it could not. */
    problem?: string;
}

type ConfigJson = Record<string, { value?: string; secret?: boolean; objectValue?: unknown }>;

export function settingsFromConfigJson(json: ConfigJson, project: string): { settings: StackSettings; secretKeys: string[] } {
    const secretKeys: string[] = [];
    const get = (key: string) => {
        const e = json[key];
        if (!e) return undefined;
        if (e.secret && e.value === undefined) {
            secretKeys.push(key);
            return undefined;
        }
        return e.value;
    };
    return {
        settings: {
            project,
            recoveryWindowInDays: get(`${project}:recoveryWindowInDays`),
            forceDelete: get(`${project}:forceDelete`),
            purgeTimeoutSeconds: get(`${project}:purgeTimeoutSeconds`),
            awsRegion: get("aws:region"),
        },
        secretKeys,
    };
}

const cache = new Map<string, Promise<CurrentConfig>>();

export function readCurrentStackConfig(stack: string, project: string, cli = process.env.PULUMI_SAFE_SECRET_CLI ?? "pulumi"): Promise<CurrentConfig> {
    const key = `${cli}\0${stack}\0${project}`;
    let p = cache.get(key);
    if (!p) {
        p = new Promise<CurrentConfig>((resolve) => {
            execFile(
                cli,
                ["config", "--json", "--stack", stack, "--non-interactive"],
                { cwd: process.cwd(), timeout: 60_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } },
                (err, stdout, stderr) => {
                    if (err) {
                        resolve({ problem: `\`${cli} config --json --stack ${stack}\` failed: ${(stderr || err.message).trim().split("\n")[0]}` });
                        return;
                    }
                    try {
                        const { settings, secretKeys } = settingsFromConfigJson(JSON.parse(stdout), project);
                        if (secretKeys.length) {
                            resolve({ problem: `${secretKeys.join(", ")} is stored as a secret and cannot be read here; store it in plain text` });
                        } else {
                            resolve({ settings });
                        }
                    } catch (e) {
                        resolve({ problem: `could not parse \`pulumi config --json\` output: ${(e as Error).message}` });
                    }
                },
            );
        });
        cache.set(key, p);
    }
    return p;
}
