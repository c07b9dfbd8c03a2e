// A secret replicated to two more regions. `pulumi destroy` removes the replicas before deleting the primary.
import * as pulumi from "@pulumi/pulumi";
import { Secret } from "pulumi-safe-secret";

const config = new pulumi.Config();
const apiKey = new Secret("api-key", {
    name: config.get("secretName") ?? "shared/api-key",
    description: "API key readable in three regions",
    secretString: config.requireSecret("apiKey"),
    replicas: (config.get("replicaRegions") ?? "eu-west-1,ap-southeast-2").split(",").map((region) => ({ region })),
});

export const arn = apiKey.arn;
export const replicas = apiKey.replicaStatus;
