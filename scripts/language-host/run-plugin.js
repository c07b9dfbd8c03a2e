// LanguageRuntime.RunPlugin for the stand-in Node.js language host: how the engine starts a plugin written in
// Node.js — a policy pack (`--policy-pack <dir>`, kind "analyzer") or any other kind. It follows the official host
// (sdk/nodejs/cmd/pulumi-language-nodejs, RunPlugin): the plugin runs under @pulumi/pulumi's own launcher
// (cmd/run-policy-pack or cmd/run-plugin), its stdout and stderr are streamed back, and its exit code ends the stream.
//
// Policy packs need one more step the official host also takes (sdk/go policy_proxy.go): @pulumi/policy learns the
// stack, project and configuration only from PULUMI_NODEJS_* / PULUMI_CONFIG environment variables, while the engine
// sends them over gRPC (Analyzer.ConfigureStack) after the plugin has started. So the host first serves an Analyzer
// proxy, waits for that call, starts the pack with those variables, and forwards every later call to the pack.
"use strict";
const { spawn } = require("child_process");

/**
 * @param projectRequire require() resolving from the project the engine runs (the @pulumi/pulumi the host serves).
 * @returns the runPlugin handler (server-streaming) for a LanguageRuntime service implementation.
 */
function makeRunPlugin(projectRequire) {
    const grpc = projectRequire("@grpc/grpc-js");
    const langproto = projectRequire("@pulumi/pulumi/proto/language_pb");
    const analyzerrpc = projectRequire("@pulumi/pulumi/proto/analyzer_grpc_pb");
    const analyzerproto = projectRequire("@pulumi/pulumi/proto/analyzer_pb");

    return function runPlugin(call) {
        const req = call.request;
        const info = req.getInfo();
        const programDir = (info && info.getProgramDirectory()) || req.getPwd();
        const isAnalyzer = req.getKind() === "analyzer";
        let ended = false;
        const end = () => {
            ended = true;
            call.end();
        };
        const send = (field, value) => {
            if (ended) return;
            const res = new langproto.RunPluginResponse();
            res[field](value);
            call.write(res);
        };
        const stdout = (data) => send("setStdout", new Uint8Array(Buffer.from(data)));
        const stderr = (data) => send("setStderr", new Uint8Array(Buffer.from(data)));
        const fail = (message) => {
            stderr(`pulumi-language-nodejs (stand-in): ${message}\n`);
            send("setExitcode", 1);
            end();
        };

        // The launcher comes from the plugin's own dependencies, as the official host resolves it.
        const launcherName = isAnalyzer ? "@pulumi/pulumi/cmd/run-policy-pack" : "@pulumi/pulumi/cmd/run-plugin";
        let launcher;
        try {
            launcher = require.resolve(launcherName, { paths: [programDir] });
        } catch {
            return fail(`${launcherName} cannot be found from ${programDir}: install @pulumi/pulumi there (npm install)`);
        }
        const args = isAnalyzer
            ? [launcher, ...req.getArgsList(), programDir]
            : [launcher, programDir, ...req.getArgsList()];
        const env = Object.fromEntries(req.getEnvList().map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
        const start = (extraEnv, onStdout) => {
            const child = spawn(process.execPath, args, {
                // Policy packs have always run in their own directory; other plugins in the engine's.
                cwd: isAnalyzer ? programDir : req.getPwd() || programDir,
                env: { ...process.env, ...env, ...extraEnv },
                stdio: ["ignore", "pipe", "pipe"],
            });
            child.stdout.on("data", onStdout);
            child.stderr.on("data", stderr);
            child.on("error", (e) => fail(`could not start ${launcherName}: ${e.message}`));
            child.on("exit", (code, signal) => {
                send("setExitcode", code === null ? 128 + (signal === "SIGKILL" ? 9 : 15) : code);
                end();
            });
            call.on("cancelled", () => child.kill());
            return child;
        };

        if (!isAnalyzer) {
            start({}, stdout);
            return;
        }
        const proxy = new AnalyzerProxy(grpc, analyzerrpc, analyzerproto);
        proxy.listen((err, port) => {
            if (err) return fail(`could not start the policy pack proxy: ${err.message}`);
            stdout(`${port}\n`);
            proxy.configured.then((config) => {
                let pending = "";
                let attached = false;
                const child = start(configEnv(config), (data) => {
                    if (attached) return stdout(data);
                    pending += data.toString();
                    const nl = pending.indexOf("\n");
                    if (nl < 0) return;
                    attached = true;
                    const port = Number(pending.slice(0, nl).trim());
                    const rest = pending.slice(nl + 1);
                    if (rest) stdout(rest);
                    proxy.attach(port, config).catch((e) => {
                        stderr(`pulumi-language-nodejs (stand-in): ${e.message}\n`);
                        child.kill();
                    });
                });
                child.on("exit", () => proxy.close());
            });
        });
    };
}

/** The variables @pulumi/pulumi reads its stack identity and configuration from (as the official host sets them). */
function configEnv(config) {
    if (!config) return {};
    const env = {};
    const put = (k, v) => {
        if (v !== undefined && v !== "") env[k] = String(v);
    };
    put("PULUMI_NODEJS_ORGANIZATION", config.getOrganization());
    put("PULUMI_NODEJS_PROJECT", config.getProject());
    put("PULUMI_NODEJS_STACK", config.getStack());
    put("PULUMI_NODEJS_DRY_RUN", String(config.getDryRun()));
    const entries = config.toObject().configMap;
    if (entries.length > 0) put("PULUMI_CONFIG", JSON.stringify(Object.fromEntries(entries)));
    return env;
}

/**
 * An Analyzer server answering Handshake and ConfigureStack itself and forwarding every other call to the pack once
 * it runs. A call other than ConfigureStack arriving first (e.g. `pulumi policy publish`) starts the pack unconfigured.
 */
class AnalyzerProxy {
    constructor(grpc, analyzerrpc, analyzerproto) {
        this.grpc = grpc;
        this.analyzerrpc = analyzerrpc;
        this.analyzerproto = analyzerproto;
        this.configured = new Promise((resolve) => (this.resolveConfig = resolve));
        this.client = new Promise((resolve, reject) => {
            this.resolveClient = resolve;
            this.rejectClient = reject;
        });
        this.client.catch(() => undefined);
        this.server = new grpc.Server();
        const service = analyzerrpc.AnalyzerService;
        const impl = {};
        for (const method of Object.keys(service)) {
            impl[method] = (call, callback) => {
                if (method === "handshake") return callback(null, new analyzerproto.AnalyzerHandshakeResponse());
                if (method === "configureStack") {
                    this.resolveConfig(call.request);
                    return callback(null, new analyzerproto.AnalyzerStackConfigureResponse());
                }
                this.resolveConfig(undefined);
                this.client.then(
                    (client) => client[method](call.request, callback),
                    (e) => callback({ code: grpc.status.UNAVAILABLE, details: `policy pack not started: ${e.message}` }),
                );
            };
        }
        this.server.addService(service, impl);
    }

    listen(callback) {
        this.server.bindAsync("127.0.0.1:0", this.grpc.ServerCredentials.createInsecure(), callback);
    }

    /** Connects to the pack and hands it the configuration the engine sent (older packs do not implement the call). */
    async attach(port, config) {
        if (!Number.isInteger(port) || port <= 0) {
            const e = new Error(`the policy pack did not print its port (got ${JSON.stringify(String(port))})`);
            this.rejectClient(e);
            throw e;
        }
        const client = new this.analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, this.grpc.credentials.createInsecure());
        if (config) {
            await new Promise((resolve, reject) =>
                client.configureStack(config, (err) =>
                    !err || err.code === this.grpc.status.UNIMPLEMENTED ? resolve() : reject(new Error(`policy pack configuration failed: ${err.message}`)),
                ),
            ).catch((e) => {
                this.rejectClient(e);
                throw e;
            });
        }
        this.resolveClient(client);
    }

    close() {
        this.server.forceShutdown();
    }
}

module.exports = { makeRunPlugin };
