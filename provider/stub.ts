// The provider object Pulumi serializes into every Secret's state (`__provider`) and runs at destroy time.
// It carries only a module name: the implementation is required at run time from the project's node_modules,
// so state stays small, holds no credentials, and old state runs the installed version's fixes.

import type * as dynamic from "@pulumi/pulumi/dynamic";

export const RUNTIME_MODULE = "pulumi-safe-secret/runtime";

export function serializableProvider(): dynamic.ResourceProvider {
    const impl = () => {
        try {
            return require(RUNTIME_MODULE).v1;
        } catch (e: any) {
            throw new Error(
                `cannot load ${RUNTIME_MODULE} from ${process.cwd()}: ${e?.message} — ` +
                    "install pulumi-safe-secret in the Pulumi project (npm install pulumi-safe-secret)",
            );
        }
    };
    return {
        configure: (req) => impl().configure(req),
        check: (olds, news) => impl().check(olds, news),
        diff: (id, olds, news) => impl().diff(id, olds, news),
        create: (inputs) => impl().create(inputs),
        read: (id, props) => impl().read(id, props),
        update: (id, olds, news) => impl().update(id, olds, news),
        delete: (id, props) => impl().delete(id, props),
    };
}
