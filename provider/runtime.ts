// The implementation the serialized provider reaches at run time with `require("pulumi-safe-secret/runtime").v1`.
// State stores only that module name, so this file is a stable contract: `v1` must keep accepting what any
// earlier version stored. Nothing here is serialized; clients and configuration live in this process only.
// Each call builds its context from the configuration `configure` received and the resource's own inputs.

import * as fs from "fs";
import * as path from "path";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { readCurrentStackConfig } from "./destroy-config";
import { checkStep, createStep, deleteStep, diffStep, readStep, updateStep } from "./lifecycle";
import { destroyDecision } from "./policy";
import { configKeysOf, readStackSettings } from "./stack-config";
import { RawInputs, SecretInputs, SecretOutputs, StackSettings } from "./types";

type ConfigLookup = (fullKey: string) => string | undefined;

/** The project a resource belongs to: from its recorded "org/project/stack", else the project the engine runs. */
function projectOf(props: Partial<SecretInputs> | undefined): string {
    const [, project, stack, ...rest] = props?.stack?.split("/") ?? [];
    if (project !== undefined && stack !== undefined && rest.length === 0) return project;
    const fromEnv = process.env.PULUMI_NODEJS_PROJECT ?? process.env.PULUMI_PROJECT;
    if (fromEnv) return fromEnv;
    try {
        const yaml = fs.readFileSync(path.join(process.cwd(), "Pulumi.yaml"), "utf8");
        const m = /^name:\s*["']?([^"'\s#]+)/m.exec(yaml);
        if (m?.[1]) return m[1];
    } catch {
        // no Pulumi.yaml where the engine started us
    }
    return "project";
}

export class SecretProvider implements dynamic.ResourceProvider<SecretInputs, SecretOutputs> {
    private config: ConfigLookup = () => undefined;
    /** Every key of the stack's configuration, so check can name a misspelt one of ours. */
    private configKeys: string[] | undefined;

    async configure(req: dynamic.ConfigureRequest): Promise<void> {
        this.config = (k) => req.config.get(k);
        this.configKeys = configKeysOf(req.config);
    }

    private stackFor(props: Partial<SecretInputs> | undefined): StackSettings {
        return readStackSettings(this.config, projectOf(props), this.configKeys);
    }

    async check(olds: SecretInputs | undefined, news: SecretInputs): Promise<dynamic.CheckResult<SecretInputs>> {
        // The engine hands over the program's inputs unvalidated, whatever the interface calls them.
        const raw: RawInputs = news;
        const r = await checkStep(olds ?? {}, raw, this.stackFor(news));
        return { inputs: r.inputs, failures: r.failures };
    }

    async diff(_id: string, olds: SecretOutputs, news: SecretInputs): Promise<dynamic.DiffResult> {
        const d = diffStep(olds, news, this.stackFor(news));
        return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
    }

    async create(inputs: SecretInputs): Promise<dynamic.CreateResult<SecretOutputs>> {
        return createStep(inputs, this.stackFor(inputs));
    }

    async read(id: string, props?: SecretOutputs): Promise<dynamic.ReadResult<SecretOutputs>> {
        const p: Partial<SecretOutputs> = props ?? {};
        return readStep(id, p, this.stackFor(p));
    }

    async update(id: string, olds: SecretOutputs, news: SecretInputs): Promise<dynamic.UpdateResult<SecretOutputs>> {
        return { outs: await updateStep(id, olds, news, this.stackFor(news)) };
    }

    async delete(id: string, props: SecretOutputs): Promise<void> {
        const recorded = this.stackFor(props);
        // State since 0.2.0 records its stack, whose configuration as it is now decides; 0.1.0's is taken as configured.
        const current = props.stack
            ? await readCurrentStackConfig({ recordedStack: props.stack, project: recorded.project, secretId: id })
            : undefined;
        const decision = destroyDecision(props, recorded, current);
        // The aws:* settings stay those recorded with the secret: a later profile change must not send its delete elsewhere.
        const stack = current?.ok ? { ...current.stack, aws: recorded.aws } : recorded;
        await deleteStep(id, props, stack, decision);
    }
}

/** The contract state refers to. */
export const v1 = new SecretProvider();
