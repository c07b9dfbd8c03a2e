// An ephemeral (preview) environment: its stack sets forceDelete so a teardown frees the names at once,
// and the next `pulumi up` re-creates secrets with the same names while AWS finishes purging them.
//   pulumi config set forceDelete true
import * as pulumi from "@pulumi/pulumi";
import { Secret } from "pulumi-safe-secret";

const env = pulumi.getStack();
const names = ["db-password", "api-token", "session-key"];
const secrets = names.map((n) => new Secret(n, { name: `preview/${env}/${n}`, secretString: pulumi.secret(`${n}-for-${env}`) }));

export const secretNames = secrets.map((s) => s.name);
export const onDestroy = secrets[0].deletionPolicy.description;
