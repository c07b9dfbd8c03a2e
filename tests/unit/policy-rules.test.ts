// The policy pack's rules (provider/policy-pack/rules.ts) as pure functions; tests/engine/policy-pack.test.ts runs
// them through the engine.

import { strict as assert } from "assert";

import * as fs from "fs";
import * as path from "path";
import {
    generatedValueViolation,
    inUseGuardViolation,
    missingTagsViolation,
    PROTECTED_STACKS_DEFAULTS,
    recoveryWindowViolation,
    replicaViolation,
    teardownProtectionViolation,
} from "../../provider/policy-pack/rules";
import { stackMatches } from "../../provider/core/identity";

const prod = { name: "production", project: "shop" };
const pr = { name: "pr-17", project: "shop" };
const secret = (props: Record<string, unknown> = {}) => ({ name: "db", props });

describe("policy pack rules", () => {
    it("matches stack patterns with * and ?, and project/stack patterns", () => {
        assert.equal(stackMatches(prod, ["prod", "production"]), "production");
        assert.equal(stackMatches({ name: "prod-eu", project: "shop" }, PROTECTED_STACKS_DEFAULTS.protectedStacks), "prod-*");
        assert.equal(stackMatches({ name: "production2", project: "shop" }, ["production"]), undefined);
        assert.equal(stackMatches(pr, ["pr-??"]), "pr-??");
        assert.equal(stackMatches(prod, ["shop/prod*"]), "shop/prod*");
        assert.equal(stackMatches(prod, ["other/prod*"]), undefined);
        assert.equal(stackMatches({ name: "a.b", project: "p" }, ["a?b"]), "a?b");
        assert.equal(stackMatches({ name: "axb", project: "p" }, ["a.b"]), undefined, "a dot is literal");
    });

    it("refuses force deletes and short windows in protected stacks only, naming the level to change", () => {
        const s = { protectedStacks: ["production"], minimumRecoveryWindowInDays: 14 };
        assert.match(
            recoveryWindowViolation(secret(), prod, { forceDelete: "true" }, s)!,
            /would be deleted without recovery .* — run `pulumi config rm forceDelete`/,
        );
        assert.match(
            recoveryWindowViolation(secret({ forceDelete: true }), prod, {}, s)!,
            /remove forceDelete from Secret "db" or give it recoveryWindowInDays: 14/,
        );
        assert.match(
            recoveryWindowViolation(secret(), prod, { recoveryWindowInDays: "7" }, s)!,
            /recoverable for 7 days .* needs at least 14 — run `pulumi config set recoveryWindowInDays 14`/,
        );
        assert.match(
            recoveryWindowViolation(secret({ recoveryWindowInDays: 10 }), prod, { recoveryWindowInDays: "30" }, s)!,
            /give Secret "db" recoveryWindowInDays: 14 or more/,
        );
        assert.equal(recoveryWindowViolation(secret(), prod, {}, s), undefined, "AWS's 30 days is enough");
        assert.equal(
            recoveryWindowViolation(secret({ recoveryWindowInDays: 14 }), prod, { forceDelete: "true" }, s),
            undefined,
            "the resource's window wins",
        );
        assert.equal(recoveryWindowViolation(secret(), pr, { forceDelete: "true" }, s), undefined);
        assert.equal(
            recoveryWindowViolation(secret(), prod, { forceDelete: "yes" }, s),
            undefined,
            "invalid values are the provider check's to report",
        );
    });

    it("asks protected stacks for teardownProtection", () => {
        assert.match(
            teardownProtectionViolation(prod, {}, { protectedStacks: ["prod*"] })!,
            /shop:teardownProtection is not true, .* run `pulumi config set teardownProtection true`/,
        );
        assert.equal(teardownProtectionViolation(prod, { teardownProtection: "true" }, { protectedStacks: ["prod*"] }), undefined);
        assert.equal(teardownProtectionViolation(pr, {}, { protectedStacks: ["prod*"] }), undefined);
    });

    it("names every missing or empty required tag", () => {
        assert.match(
            missingTagsViolation(secret({ tags: { owner: " " } }), { requiredTags: ["owner", "team"] })!,
            /lacks the required tags owner, team — add tags: \{ "owner": "...", "team": "..." \}/,
        );
        assert.equal(missingTagsViolation(secret({ tags: { owner: "payments" } }), { requiredTags: ["owner"] }), undefined);
        assert.equal(missingTagsViolation(secret(), { requiredTags: [] }), undefined);
    });

    it("requires replicas in the named stacks", () => {
        const s = { replicatedStacks: ["production"], minimumReplicas: 2 };
        assert.match(
            replicaViolation(secret({ replicas: [{ region: "eu-west-1" }] }), prod, s)!,
            /has 1 replica region, but stack "production" .* needs at least 2/,
        );
        assert.equal(replicaViolation(secret({ replicas: [{ region: "a" }, { region: "b" }] }), prod, s), undefined);
        assert.equal(replicaViolation(secret(), pr, s), undefined);
    });

    it("asks a Secret deleted without recovery for an in-use guard of the given days", () => {
        const s = { minimumInUseGuardDays: 7 };
        assert.match(
            inUseGuardViolation(secret(), pr, { forceDelete: "true" }, s)!,
            /Secret "db" would be deleted without recovery \(force delete without recovery \(stack config\)\) with no in-use guard.*pulumi config set inUseGuardDays 7/,
        );
        assert.match(inUseGuardViolation(secret({ inUseGuardDays: 3 }), pr, { forceDelete: "true" }, s)!, /an in-use guard of 3 days/);
        assert.equal(inUseGuardViolation(secret(), pr, { forceDelete: "true", inUseGuardDays: "7" }, s), undefined);
        assert.equal(inUseGuardViolation(secret(), pr, { recoveryWindowInDays: "7" }, s), undefined, "a window needs no guard");
    });

    it("asks a Secret with secretString in a protected stack (by pattern or teardownProtection) for a generated value", () => {
        const s = { protectedStacks: ["prod*"] };
        const given = secret({ secretString: "v" });
        assert.match(
            generatedValueViolation(given, prod, {}, s)!,
            /Secret "db" takes its value from secretString, .* stack "production" is protected \(matches "prod\*"\) — .*replace secretString with generateSecretString: \{ passwordLength: 32 \}.*a third-party API key, stays in secretString/,
        );
        assert.match(
            generatedValueViolation(given, pr, { teardownProtection: "true" }, s)!,
            /stack "pr-17" is protected \(shop:teardownProtection is true\)/,
        );
        assert.match(
            generatedValueViolation(given, pr, { project: "safesecret", teardownProtection: true }, s)!,
            /\(safesecret:teardownProtection is true\)/,
            "a plugin Secret's key is named in the plugin's namespace",
        );
        assert.equal(generatedValueViolation(given, pr, {}, s), undefined, "an unprotected stack");
        assert.equal(generatedValueViolation(given, pr, { teardownProtection: "false" }, s), undefined);
        assert.equal(generatedValueViolation(secret({ generateSecretString: { passwordLength: 40 } }), prod, {}, s), undefined);
        assert.equal(generatedValueViolation(secret(), prod, {}, s), undefined, "no value in the program at all");
        assert.equal(
            generatedValueViolation(secret({ secretString: "v", generateSecretString: {} }), prod, {}, s),
            undefined,
            "both given is the provider check's to refuse",
        );
    });

    it("ships the pack with the package's version", () => {
        const root = path.resolve(__dirname, "../..");
        const version = (f: string) => JSON.parse(fs.readFileSync(path.join(root, f), "utf8")).version;
        assert.equal(version("policy-pack/package.json"), version("package.json"), "bump policy-pack/package.json with package.json");
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        assert.ok(pkg.files.includes("policy-pack"));
    });
});
