// Starts a real moto_server (the local Secrets Manager) on a free loopback port for the test run.

import { ChildProcess, spawn } from "child_process";
import * as net from "net";

export interface Moto {
    url: string;
    /** Wipes every service's data, then makes the KMS key the engine tests' stacks encrypt their secrets with. */
    reset(): Promise<void>;
    stop(): Promise<void>;
    /** At process exit, where nothing can be awaited. */
    kill(): void;
}

export async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.once("error", reject);
        s.listen(0, "127.0.0.1", () => {
            const port = (s.address() as net.AddressInfo).port;
            s.close(() => resolve(port));
        });
    });
}

/** The KMS key (in moto) of the engine tests' stacks' secrets provider (engine.ts). */
export const STACK_KMS_ALIAS = "alias/pulumi-engine-tests";

async function kms(url: string, action: string, body: object): Promise<any> {
    const r = await fetch(url, {
        method: "POST",
        headers: {
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": `TrentService.${action}`,
            // moto tells the service from the credential scope; it checks no signature.
            authorization: "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=0",
        },
        body: JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`moto KMS ${action} failed: ${r.status} ${await r.text()}`);
    return r.json();
}

export async function startMoto(): Promise<Moto> {
    const bin = process.env.MOTO_SERVER || "moto_server";
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let output = "";
    const child: ChildProcess = spawn(bin, ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const spawnError = new Promise<never>((_, reject) =>
        child.once("error", (e) =>
            reject(
                new Error(
                    `cannot start ${bin}: ${e.message} — install it with \`pip install "moto[server]==5.2.1"\` or run scripts/toolchain.sh`,
                ),
            ),
        ),
    );
    const deadline = Date.now() + 30_000;
    for (;;) {
        try {
            const r = await Promise.race([fetch(`${url}/moto-api/data.json`), spawnError]);
            if (r.ok) break;
        } catch (e) {
            if ((e as Error).message.startsWith("cannot start")) throw e;
        }
        if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${output}`);
        if (Date.now() > deadline) throw new Error(`moto_server did not answer on ${url} within 30s: ${output}`);
        await new Promise((r) => setTimeout(r, 100));
    }
    return {
        url,
        async reset() {
            const r = await fetch(`${url}/moto-api/reset`, { method: "POST" });
            if (!r.ok) throw new Error(`moto reset failed: ${r.status}`);
            const key = await kms(url, "CreateKey", {});
            await kms(url, "CreateAlias", { AliasName: STACK_KMS_ALIAS, TargetKeyId: key.KeyMetadata.KeyId });
        },
        kill() {
            if (child.exitCode === null) child.kill("SIGTERM");
        },
        async stop() {
            if (child.exitCode === null) {
                child.kill("SIGTERM");
                await new Promise((r) => child.once("exit", r));
            }
        },
    };
}
