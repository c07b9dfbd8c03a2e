// A production secret: a destroy schedules deletion and keeps it recoverable.
//   pulumi config set recoveryWindowInDays 14     # 7–30; unset keeps AWS's 30 days
import * as pulumi from "@pulumi/pulumi";
import { Secret } from "pulumi-safe-secret";

const config = new pulumi.Config();
const dbPassword = new Secret("db-password", {
    name: config.get("secretName") ?? "prod/db-password",
    description: "Production database password",
    secretString: config.requireSecret("dbPassword"),
    tags: { environment: "production" },
});

export const arn = dbPassword.arn;
export const onDestroy = dbPassword.deletionPolicy.description;
