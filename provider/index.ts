export { Secret, SecretArgs, ReplicaArgs } from "./secret";
export { DeletionPolicy, resolveDeletionPolicy, validateSettings, describePolicy } from "./policy";
export { DeletionPolicyOutput, ReplicaStatus } from "./types";
