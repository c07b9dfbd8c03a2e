// The program of the fleet engine tests (fleet.test.ts, fleet-undo.test.ts): two secrets named after the stack, one
// of them replicated when the stack's config says so, adoptable for the undo tests' way back.

export const FLEET_PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { Secret } from "pulumi-safe-secret";
const config = new pulumi.Config();
const adopt = config.getBoolean("adopt");
const db = new Secret("db", { name: \`fleet/\${pulumi.getStack()}/db\`, secretString: pulumi.secret("v"), adopt, restoreIfScheduled: adopt });
const api = new Secret("api", {
    name: \`fleet/\${pulumi.getStack()}/api\`, secretString: pulumi.secret("w"), adopt, restoreIfScheduled: adopt,
    replicas: config.getBoolean("replicated") ? [{ region: "eu-west-1" }] : undefined,
});
export const arns = [db.arn, api.arn];
`;
