// What Pulumi stores as every Secret's `__provider` and runs at destroy time: a one-line module that requires the
// implementation from the project's node_modules. It holds no code of ours, so state stays small (~100 bytes
// instead of a serialized closure), carries no credentials, and old state runs the installed version's fixes.
//
// pulumi.dynamic.Resource always serializes the provider object it is given; a resource transformation then puts
// this text in its place before the resource is registered. The object given is `providerStub`, which captures
// nothing, so serializing it cannot fail and is done once per process (the SDK caches it per provider object).

import type * as pulumi from "@pulumi/pulumi";
import type * as dynamic from "@pulumi/pulumi/dynamic";

/** Evaluated by the engine's dynamic-provider host: `require(text).handler()` must return the provider. */
export const PROVIDER_TEXT = 'exports.handler = () => require("pulumi-safe-secret/runtime").v1;\n';

const PROVIDER_KEY = "__provider";

export function useProviderText(text: string): pulumi.ResourceTransformation {
    return ({ props, opts }) => ({ props: { ...props, [PROVIDER_KEY]: text }, opts });
}

// Never called: the text above is what runs. Methods refer to nothing outside themselves.
export const providerStub: dynamic.ResourceProvider = {
    create: () => Promise.reject(new Error("pulumi-safe-secret: the provider text was not applied")),
};
