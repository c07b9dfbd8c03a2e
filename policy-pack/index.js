// The ready-made policy pack: `pulumi preview --policy-pack node_modules/pulumi-safe-secret/policy-pack`
// (rules configurable with `--policy-pack-config`; see the README's "For platform teams").
"use strict";
const { PolicyPack } = require("@pulumi/policy");
const { secretPolicies } = require("../bin/provider/policy-pack/policies");

new PolicyPack("pulumi-safe-secret", { policies: secretPolicies() });
