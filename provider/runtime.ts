// The implementation the serialized provider reaches at run time with `require("pulumi-safe-secret/runtime").v1`.
// State stores only that module name, so this file is a stable contract: `v1` must keep accepting what any
// earlier version stored. Nothing here is serialized; clients and configuration live in this process only.
// Each call builds its context from the configuration `configure` received and the resource's own inputs.

import * as fs from "fs";
import * as path from "path";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { parseStackAws, regionOfArn } from "./aws/target";
import { nameStatus } from "./aws/secrets";
import { checkSecret, NameLookup, withoutUndefined } from "./check";
import { contextFor, ProviderContext } from "./context";
import { createSecret } from "./create";
import { DeleteError, deleteSecret, inUseReason } from "./delete";
import { DeleteEvent, deleteEvent, DeleteResult, EVENTS_ENV, formatEvent } from "./events";
import { readCurrentStackConfig } from "./destroy-config";
import { diffSecret } from "./diff";
import { consoleLogger } from "./log";
import { destroyDecision, inUseGuardFor } from "./policy";
import { readSecret } from "./read";
import { readStackSettings } from "./stack-config";
import { RawInputs, SecretInputs, SecretOutputs, StackSettings } from "./types";
import { updateSecret } from "./update";

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

    async configure(req: dynamic.ConfigureRequest): Promise<void> {
        this.config = (k) => req.config.get(k);
    }

    private stackFor(props: Partial<SecretInputs> | undefined): StackSettings {
        return readStackSettings(this.config, projectOf(props));
    }

    private contextFor(props: Partial<SecretInputs>, stack = this.stackFor(props)): ProviderContext {
        return contextFor(stack, parseStackAws(stack.aws).aws, props);
    }

    async check(olds: SecretInputs | undefined, news: SecretInputs): Promise<dynamic.CheckResult<SecretInputs>> {
        const stack = this.stackFor(news);
        const lookup: NameLookup = (name, token, region) => nameStatus(this.contextFor(news, stack).client(region), name, token);
        // The engine hands over the program's inputs unvalidated, whatever the interface calls them.
        const raw: RawInputs = news;
        const r = await checkSecret(olds ?? {}, raw, stack, lookup);
        return { inputs: r.inputs, failures: r.failures };
    }

    async diff(_id: string, olds: SecretOutputs, news: SecretInputs): Promise<dynamic.DiffResult> {
        // Preview's one look at the state's outputs: where a refresh recorded a recent access, say now that the
        // destroy's delete without recovery will be refused (the delete asks AWS again when it runs).
        const guarded = news.deletionPolicy?.mode === "force" && olds.lastAccessedDate;
        if (guarded) {
            const why = inUseReason(olds.name, new Date(guarded), inUseGuardFor(news, this.stackFor(news)), Date.now());
            if (why) consoleLogger(`${olds.name}: a destroy would be refused — ${why} (as of the stack's last refresh)`);
        }
        const d = diffSecret(olds, news);
        return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
    }

    async create(inputs: SecretInputs): Promise<dynamic.CreateResult<SecretOutputs>> {
        const r = await createSecret(inputs, this.contextFor(inputs));
        return { id: r.id, outs: withoutUndefined(r.outs) };
    }

    async read(id: string, props?: SecretOutputs): Promise<dynamic.ReadResult<SecretOutputs>> {
        const p: Partial<SecretOutputs> = props ?? {};
        const region = p.region ?? regionOfArn(id) ?? this.stackFor(p).aws?.region ?? process.env.AWS_REGION ?? "us-east-1";
        const r = await readSecret(id, p, this.contextFor(p), region);
        return r.id ? { id: r.id, props: withoutUndefined(r.props!) } : {};
    }

    async update(id: string, olds: SecretOutputs, news: SecretInputs): Promise<dynamic.UpdateResult<SecretOutputs>> {
        return { outs: withoutUndefined(await updateSecret(id, olds, news, this.contextFor(news))) };
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
        const secret = { id, name: props.name ?? id, region: props.region };
        try {
            const outcome = await deleteSecret(id, props, this.contextFor(props, stack), decision);
            reportEvent(deleteEvent(secret, decision, { outcome }));
        } catch (e) {
            reportEvent(deleteEvent(secret, decision, resultOf(e as Error)));
            throw e;
        }
    }
}

/** What a failed delete reports: a refusal (by the decision or the in-use guard), or a failure. */
function resultOf(e: Error): DeleteResult {
    if (!(e instanceof DeleteError)) return { failed: e.message, replicasRemoved: [] };
    if (e.kind === "failed") return { failed: e.message, replicasRemoved: e.replicasRemoved };
    return { refused: e.message, inUse: e.kind === "in-use" ? { lastAccessedDate: e.lastAccessedDate } : undefined };
}

/** Events for the teardown command (events.ts), on the same stdout the engine relays. */
function reportEvent(e: DeleteEvent): void {
    if (process.env[EVENTS_ENV] === "1") consoleLogger.raw(formatEvent(e));
}

/** The contract state refers to. */
export const v1 = new SecretProvider();
