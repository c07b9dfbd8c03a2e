// The implementation the serialized provider reaches at run time with `require("pulumi-safe-secret/runtime").v1`.
// State stores only that module name, so this file is a stable contract: `v1` must keep accepting what any
// earlier version stored. Nothing here is serialized; clients and configuration live in this process only.
// Each call builds its context from the configuration `configure` received and the resource's own inputs.

import * as fs from "fs";
import * as path from "path";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { checkStep, createStep, deleteStep, diffStep, readStep, updateStep } from "../../lifecycle/steps";
import { SecretOperationError } from "../../core/errors";
import { configKeysOf, readStackSettings } from "../../core/stack-keys";
import { decideAtDestroy } from "../../destroy-time/decide";
import { RawInputs, SecretInputs, SecretOutputs, StackSettings } from "../../core/types";

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

/**
 * The dynamic-provider host writes a failed step's error to stderr as `${e}: ${e.stack}` before it hands the error to
 * the engine, which shows it again: a refusal appeared twice on one line, then once per stack frame. Our own errors
 * say everything in their message, so that echo of them is dropped; any other error keeps its stack.
 */
const ownErrors = new Set<string>();
const hostConsoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === "string" && ownErrors.delete(args[0])) return;
    hostConsoleError(...args);
};
async function reportedOnce<T>(step: Promise<T>): Promise<T> {
    try {
        return await step;
    } catch (e) {
        if (e instanceof SecretOperationError) ownErrors.add(`${e}: ${e.stack}`);
        throw e;
    }
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
        const r = await reportedOnce(checkStep(olds ?? {}, raw, this.stackFor(news)));
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
        return reportedOnce(readStep(id, p, this.stackFor(p)));
    }

    async update(id: string, olds: SecretOutputs, news: SecretInputs): Promise<dynamic.UpdateResult<SecretOutputs>> {
        return { outs: await updateStep(id, olds, news, this.stackFor(news)) };
    }

    async delete(id: string, props: SecretOutputs): Promise<void> {
        const { decision, stack } = await decideAtDestroy(id, props, this.stackFor(props), "recorded");
        await reportedOnce(deleteStep(id, props, stack, decision));
    }
}

/** The contract state refers to. */
export const v1 = new SecretProvider();
