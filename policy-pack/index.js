// The ready-made policy pack: `pulumi preview --policy-pack node_modules/pulumi-safe-secret/policy-pack`
// (rules configurable with `--policy-pack-config`; see the README's "For platform teams").
"use strict";
let policy;
try {
    policy = require("@pulumi/policy");
} catch {
    throw new Error("the pulumi-safe-secret policy pack needs @pulumi/policy in your project: run `npm install --save-dev @pulumi/policy`");
}
const { PolicyPack } = policy;
const { secretPolicies } = require("../dist/policy-pack/policies");

new PolicyPack("pulumi-safe-secret", { policies: secretPolicies() });
