// The root project's program: what `bash scripts/demo.sh` deploys and destroys.
import * as pulumi from "@pulumi/pulumi";
import { Secret } from "pulumi-safe-secret";

export = async () => {
    const prefix = new pulumi.Config().get("namePrefix") ?? "demo";
    const db = new Secret("db-password", {
        name: `${prefix}/db-password`,
        description: "Database password (recovery window from stack config)",
        secretString: pulumi.secret("correct-horse-battery-staple"),
        tags: { app: "demo", tier: "data" },
    });
    const api = new Secret("api-key", {
        name: `${prefix}/api-key`,
        description: "Replicated API key",
        secretString: pulumi.secret(JSON.stringify({ key: "k-1234567890" })),
        replicas: [{ region: "eu-west-1" }, { region: "ap-southeast-2" }],
    });
    const scratch = new Secret("scratch", {
        description: "Autonamed scratch secret that is always force-deleted",
        secretString: pulumi.secret("temporary"),
        forceDelete: true,
    });
    return {
        secrets: [db, api, scratch].map((s) => ({ name: s.name, arn: s.arn, onDestroy: s.deletionPolicy.description })),
        apiReplicas: api.replicaStatus,
    };
};
