// The plugin's entry point, run by plugin/pulumi-resource-safesecret (the executable the engine starts): serves the
// provider on the port the engine reads from its first line of output.

// The engine's address is the plugin's first argument; the SDK's engine client (engine-log.ts) reads it from here.
process.env.PULUMI_NODEJS_ENGINE ??= process.argv.slice(2).find((a) => !a.startsWith("-"));

// The SDK's provider server reads a ReadRequest's properties unguarded, and an import (`pulumi import`, the import
// option) sends none: the read would fail before reaching the provider. An absent struct is read as an empty one.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const getProperties = provproto.ReadRequest.prototype.getProperties;
provproto.ReadRequest.prototype.getProperties = function (this: unknown) {
    return getProperties.call(this) ?? { toJavaScript: () => ({}) };
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require("@pulumi/pulumi/provider") as typeof import("@pulumi/pulumi/provider");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SafeSecretProvider } = require("./provider") as typeof import("./provider");

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require("../../../package.json") as { version: string };

// The engine's PULUMI_CONFIG: this stack's safesecret:* keys (bare names), as configured when the operation started.
const config = JSON.parse(process.env.PULUMI_CONFIG || "{}") as Record<string, unknown>;

const provider = new SafeSecretProvider(version, config);

// The SDK's provider server answers Configure without reading it, and its Provider interface has no configure hook
// (so in @pulumi/pulumi 3.259.0): an explicit provider's arguments would be dropped. The request is handed to the
// provider as the gRPC service decodes it, before the server answers and so before any call about a resource.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const configure = provrpc.ResourceProviderService.configure;
const decode = configure.requestDeserialize;
configure.requestDeserialize = (bytes: Buffer) => {
    const req = decode(bytes);
    provider.configure({ urn: req.getUrn(), args: req.getArgs()?.toJavaScript() ?? {} });
    return req;
};

void main(provider, process.argv.slice(2));
