// An HTTP layer between the AWS SDK (or the Pulumi engine's provider process) and moto that makes the pair
// answer as AWS does where moto differs, counts calls at the wire, and injects faults.
//
// AWS behaviour reproduced (shared/docs/aws-secretsmanager-facts.md):
//  - Force delete is asynchronous: for `purgeDelayMs` after a force DeleteSecret, CreateSecret with that name
//    fails with InvalidRequestException "You can't create this secret because a secret with this name is
//    already scheduled for deletion." (moto frees the name at once).
//  - CreateSecret on a name in its recovery window: InvalidRequestException with the same text (moto:
//    ResourceExistsException).
//  - ResourceNotFoundException with HTTP 400 (moto: 404).
//  - Error messages as AWS words them: moto embeds "An error occurred (X) when calling the Y operation:" and runs of
//    spaces, which the layer removes.
//  - With `controlPlaneRatePerSecond`: AWS's per-region quota on control-plane calls (about 50/s for CreateSecret,
//    DeleteSecret, UpdateSecret, TagResource and the replication calls); above it, ThrottlingException
//    "Rate exceeded" (HTTP 400). Modelled as a token bucket per region holding one second of calls.
//  - With `omitReplicaStatusMessage`: replica statuses without StatusMessage, as AWS sends them when all is well
//    (moto always sends one).
//  - LastAccessedDate (moto records none): each GetSecretValue is noted, and DescribeSecret answers the day of the last
//    one, at AWS's day resolution (midnight UTC). `ageAccesses(ms)` moves every noted access that far into the past.
//  - With `deletedDateReading: "request-time"`: DescribeSecret's DeletedDate of a secret in its recovery window is
//    the time its deletion was requested (how ListSecrets documents the field) instead of the scheduled date (how
//    DescribeSecret documents it, and what moto returns). The provider must be right under both readings.

import * as http from "http";
import * as net from "net";

export type FaultKind = "throttle" | "500" | "503" | "reset" | "lost-answer" | "slow" | "slow-answer" | "error";

export interface FaultRule {
    /** Operation name, e.g. "CreateSecret". */
    op: string;
    kind: FaultKind;
    /** How many matching calls get the fault; later ones pass. */
    times: number;
    /** Skip this many matching calls first. */
    after?: number;
    delayMs?: number;
    /** For kind "error": the AWS error name and message. */
    errorName?: string;
    errorMessage?: string;
    /** Only calls whose JSON body satisfies this. */
    when?: (body: any) => boolean;
}

export interface WireCall {
    op: string;
    body: any;
    /** The access key the request was signed with (from its SigV4 Authorization header). */
    accessKey?: string;
    status?: number;
    fault?: FaultKind;
    at: number;
    /** True once moto has carried the call out (for "slow-answer": before its answer is sent). */
    done?: boolean;
}

/** The operations AWS's control-plane quota counts. */
export const CONTROL_PLANE = new Set([
    "CreateSecret",
    "DeleteSecret",
    "UpdateSecret",
    "PutSecretValue",
    "RestoreSecret",
    "TagResource",
    "UntagResource",
    "ReplicateSecretToRegions",
    "RemoveRegionsFromReplication",
]);

export const AWS_NAME_SCHEDULED = "You can't create this secret because a secret with this name is already scheduled for deletion.";

export class AwsLayer {
    readonly calls: WireCall[] = [];
    faults: FaultRule[] = [];
    /** How long AWS keeps purging a force-deleted name (0: moto's instant purge). */
    purgeDelayMs = 0;
    /**
     * With this > 0, a force-deleted name is purged only once this many CreateSecrets of it have been refused (and
     * purgeDelayMs has passed): a purge that no test timing can outrun.
     */
    purgeCreateRefusals = 0;
    omitReplicaStatusMessage = false;
    deletedDateReading: "scheduled" | "request-time" = "scheduled";
    /** The last GetSecretValue of each secret, by ARN. */
    private accessed = new Map<string, number>();
    /** When each windowed DeleteSecret was answered, by the secret's ARN. */
    private deletionRequested = new Map<string, Date>();
    /** Control-plane calls allowed per second and region; 0: no quota (moto's behaviour). */
    controlPlaneRatePerSecond = 0;
    /** Calls answered ThrottlingException because of that quota. */
    throttledByQuota = 0;
    private buckets = new Map<string, { tokens: number; at: number }>();
    readonly faultsInjected: Record<string, number> = {};
    private purging = new Map<string, { until: number; refused: number }>();
    private seen = new Map<FaultRule, number>();
    private server!: http.Server;
    private sockets = new Set<net.Socket>();
    url = "";

    constructor(private readonly upstream: string) {}

    async start(): Promise<this> {
        this.server = http.createServer((req, res) => void this.handle(req, res));
        this.server.keepAliveTimeout = 1000;
        this.server.on("connection", (s) => {
            this.sockets.add(s);
            s.on("close", () => this.sockets.delete(s));
        });
        await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
        this.url = `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
        return this;
    }

    reset(): void {
        this.calls.length = 0;
        this.faults = [];
        this.purgeDelayMs = 0;
        this.purgeCreateRefusals = 0;
        this.omitReplicaStatusMessage = false;
        this.deletedDateReading = "scheduled";
        this.deletionRequested.clear();
        this.accessed.clear();
        this.controlPlaneRatePerSecond = 0;
        this.throttledByQuota = 0;
        this.buckets.clear();
        this.purging.clear();
        this.seen.clear();
        for (const k of Object.keys(this.faultsInjected)) delete this.faultsInjected[k];
    }

    /** Moves every recorded access `ms` into the past: time passing, as far as LastAccessedDate shows. */
    ageAccesses(ms: number): void {
        for (const [arn, at] of this.accessed) this.accessed.set(arn, at - ms);
    }

    async close(): Promise<void> {
        for (const s of this.sockets) s.destroy();
        await new Promise((r) => this.server.close(r));
    }

    /** Operations seen at the wire, in order, without faulted attempts' duplicates removed. */
    ops(): string[] {
        return this.calls.map((c) => c.op);
    }

    count(op: string): number {
        return this.calls.filter((c) => c.op === op).length;
    }

    private takeFault(op: string, body: any): FaultRule | undefined {
        for (const rule of this.faults) {
            if (rule.op !== op && rule.op !== "*") continue;
            if (rule.when && !rule.when(body)) continue;
            const n = this.seen.get(rule) ?? 0;
            this.seen.set(rule, n + 1);
            const after = rule.after ?? 0;
            if (n >= after && n < after + rule.times) return rule;
        }
        return undefined;
    }

    private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const raw = Buffer.concat(chunks);
        const target = String(req.headers["x-amz-target"] ?? "");
        const op = target.split(".").pop() || `${req.method} ${req.url}`;
        let body: any = {};
        try {
            body = raw.length ? JSON.parse(raw.toString("utf8")) : {};
        } catch {
            body = {};
        }
        const accessKey = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ""))?.[1];
        const call: WireCall = { op, body, accessKey, at: Date.now() };
        this.calls.push(call);

        const region = /Credential=[^/]+\/[0-9]+\/([a-z0-9-]+)\//.exec(String(req.headers.authorization ?? ""))?.[1] ?? "us-east-1";
        if (CONTROL_PLANE.has(op) && !this.takeQuotaToken(region)) {
            this.throttledByQuota++;
            call.fault = "throttle";
            return this.answerError(res, call, 400, "ThrottlingException", "Rate exceeded");
        }

        const fault = this.takeFault(op, body);
        if (fault) {
            call.fault = fault.kind;
            this.faultsInjected[`${op}:${fault.kind}`] = (this.faultsInjected[`${op}:${fault.kind}`] ?? 0) + 1;
            switch (fault.kind) {
                case "throttle":
                    return this.answerError(res, call, 400, "ThrottlingException", "Rate exceeded");
                case "500":
                    return this.answerError(res, call, 500, "InternalServiceError", "An internal error occurred");
                case "503":
                    return this.answerError(res, call, 503, "ServiceUnavailable", "Service unavailable");
                case "error":
                    return this.answerError(res, call, 400, fault.errorName ?? "ValidationException", fault.errorMessage ?? "injected");
                case "reset":
                    req.socket.destroy();
                    return;
                case "slow":
                    await new Promise((r) => setTimeout(r, fault.delayMs ?? 2000));
                    break;
                case "lost-answer": {
                    // AWS did the work; the answer never arrives.
                    await this.forward(req, raw);
                    req.socket.destroy();
                    return;
                }
            }
        }

        if (op === "CreateSecret" && typeof body.Name === "string") {
            const p = this.purging.get(body.Name);
            if (p && (Date.now() < p.until || p.refused < this.purgeCreateRefusals)) {
                p.refused++;
                return this.answerError(res, call, 400, "InvalidRequestException", AWS_NAME_SCHEDULED);
            }
        }

        let up = await this.forward(req, raw);
        call.done = true;
        if (fault?.kind === "slow-answer") {
            // AWS did the work; its answer takes this long to arrive (a run killed meanwhile never learns of it).
            await new Promise((r) => setTimeout(r, fault.delayMs ?? 2000));
        }
        const upBody = up.body.toString("utf8");
        let parsed: any;
        try {
            parsed = upBody ? JSON.parse(upBody) : undefined;
        } catch {
            parsed = undefined;
        }
        const errType = parsed?.__type as string | undefined;

        if (
            op === "DeleteSecret" &&
            up.status === 200 &&
            body.ForceDeleteWithoutRecovery &&
            (this.purgeDelayMs > 0 || this.purgeCreateRefusals > 0) &&
            parsed?.Name
        ) {
            this.purging.set(parsed.Name, { until: Date.now() + this.purgeDelayMs, refused: 0 });
        }
        if (op === "CreateSecret" && errType?.endsWith("ResourceExistsException")) {
            const d = await this.upstreamCall("DescribeSecret", { SecretId: body.Name }, req.headers);
            if (d.status === 200 && JSON.parse(d.body.toString("utf8")).DeletedDate) {
                return this.answerError(res, call, 400, "InvalidRequestException", AWS_NAME_SCHEDULED);
            }
        }
        if (op === "GetSecretValue" && up.status === 200 && parsed?.ARN) this.accessed.set(parsed.ARN, Date.now());
        if (op === "DescribeSecret" && up.status === 200 && parsed?.ARN && this.accessed.has(parsed.ARN)) {
            const day = Math.floor(this.accessed.get(parsed.ARN)! / 86_400_000) * 86_400;
            parsed.LastAccessedDate = day;
            up = { ...up, body: Buffer.from(JSON.stringify(parsed)) };
        }
        if (op === "DeleteSecret" && up.status === 200 && !body.ForceDeleteWithoutRecovery && parsed?.ARN) {
            this.deletionRequested.set(parsed.ARN, new Date());
        }
        if (op === "DescribeSecret" && up.status === 200 && parsed?.DeletedDate && this.deletedDateReading === "request-time") {
            const at = this.deletionRequested.get(parsed.ARN);
            if (at) {
                parsed.DeletedDate = at.getTime() / 1000;
                up = { ...up, body: Buffer.from(JSON.stringify(parsed)) };
            }
        }
        if (up.status === 404 && errType?.endsWith("ResourceNotFoundException")) {
            up = { ...up, status: 400 };
        }
        const text = parsed?.message ?? parsed?.Message;
        if (up.status >= 400 && typeof text === "string") {
            const clean = text
                .replace(/An error occurred \([A-Za-z]+\) when calling the [A-Za-z]+ operation:\s*/, "")
                .replace(/\s+/g, " ")
                .trim();
            parsed[parsed.message !== undefined ? "message" : "Message"] = clean;
            up = { ...up, body: Buffer.from(JSON.stringify(parsed)) };
        }
        if (this.omitReplicaStatusMessage && Array.isArray(parsed?.ReplicationStatus)) {
            for (const r of parsed.ReplicationStatus) delete r.StatusMessage;
            up = { ...up, body: Buffer.from(JSON.stringify(parsed)) };
        }
        call.status = up.status;
        res.writeHead(up.status, { "content-type": up.headers["content-type"] ?? "application/x-amz-json-1.1" });
        res.end(up.body);
    }

    private takeQuotaToken(region: string): boolean {
        const rate = this.controlPlaneRatePerSecond;
        if (!(rate > 0)) return true;
        const now = Date.now();
        const b = this.buckets.get(region) ?? { tokens: rate, at: now };
        b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
        b.at = now;
        this.buckets.set(region, b);
        if (b.tokens < 1) return false;
        b.tokens -= 1;
        return true;
    }

    private answerError(res: http.ServerResponse, call: WireCall, status: number, name: string, message: string): void {
        call.status = status;
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": name });
        res.end(JSON.stringify({ __type: name, message }));
    }

    private forward(req: http.IncomingMessage, raw: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
        const u = new URL(this.upstream);
        return new Promise((resolve, reject) => {
            const r = http.request(
                {
                    host: u.hostname,
                    port: u.port,
                    method: req.method,
                    path: req.url,
                    headers: { ...req.headers, host: u.host, "content-length": raw.length },
                },
                (resp) => {
                    const out: Buffer[] = [];
                    resp.on("data", (c) => out.push(c));
                    resp.on("end", () => resolve({ status: resp.statusCode ?? 500, headers: resp.headers, body: Buffer.concat(out) }));
                },
            );
            r.on("error", reject);
            r.end(raw);
        });
    }

    private upstreamCall(op: string, body: unknown, headers: http.IncomingHttpHeaders) {
        const raw = Buffer.from(JSON.stringify(body));
        const fake = {
            method: "POST",
            url: "/",
            headers: { ...headers, "x-amz-target": `secretsmanager.${op}` },
        } as unknown as http.IncomingMessage;
        return this.forward(fake, raw);
    }
}
