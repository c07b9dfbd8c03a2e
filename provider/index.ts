export { Secret, SecretArgs, ReplicaArgs } from "./adapters/dynamic/secret";
export { DeletionPolicy, resolveDeletionPolicy, validateSettings, describePolicy } from "./core/policy";
export { DeletionPolicyOutput, ReplicaStatus } from "./core/types";
