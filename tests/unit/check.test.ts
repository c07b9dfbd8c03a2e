import { strict as assert } from "assert";
import { checkSecret, resolveName } from "../../provider/lifecycle/check";
import { readPluginSettings, readStackSettings } from "../../provider/core/stack-keys";
import { StackSettings } from "../../provider/core/types";

type StackOverrides = Partial<Omit<StackSettings, "aws">> & { aws?: StackSettings["aws"] };

/** Stack settings as configure would read them; check gets no AWS client at all, so it cannot call AWS. */
function stackOf(stack: StackOverrides = {}): StackSettings {
    return { project: "proj", ...stack, aws: { region: "us-east-1", ...stack.aws } };
}

const base = { resourceName: "db", region: "us-east-1" };

// [what the user got wrong, inputs, stack config, property named, fragment of the message]
const badInputs: [string, Record<string, unknown>, StackOverrides, string, RegExp][] = [
    ["an empty name", { name: "" }, {}, "name", /name is empty/],
    ["a name of 513 characters", { name: "a".repeat(513) }, {}, "name", /at most 512/],
    ["a name with a space", { name: "my secret" }, {}, "name", /contains " "; AWS allows only letters, digits and \/_\+=\.@-/],
    ["a name with a colon", { name: "db:password" }, {}, "name", /contains ":"/],
    ["a name with unicode", { name: "pässword" }, {}, "name", /contains "ä"/],
    ["a name that is a number", { name: 42 }, {}, "name", /must be a string/],
    ["window 0 on the resource", { recoveryWindowInDays: 0 }, {}, "recoveryWindowInDays", /from 7 to 30/],
    ["window 6 on the resource", { recoveryWindowInDays: 6 }, {}, "recoveryWindowInDays", /is 6/],
    ["window 31 on the resource", { recoveryWindowInDays: 31 }, {}, "recoveryWindowInDays", /is 31/],
    ["window 7.5 on the resource", { recoveryWindowInDays: 7.5 }, {}, "recoveryWindowInDays", /is 7.5/],
    ["window -1 on the resource", { recoveryWindowInDays: -1 }, {}, "recoveryWindowInDays", /is -1/],
    ['window "abc" on the resource', { recoveryWindowInDays: "abc" }, {}, "recoveryWindowInDays", /is "abc"/],
    [
        "window 6 in the stack",
        {},
        { recoveryWindowInDays: "6" },
        "",
        /proj:recoveryWindowInDays is "6".*pulumi config set recoveryWindowInDays/,
    ],
    ["window 31 in the stack", {}, { recoveryWindowInDays: "31" }, "", /proj:recoveryWindowInDays is "31"/],
    ['window "abc" in the stack', {}, { recoveryWindowInDays: "abc" }, "", /is "abc"/],
    ["window 7.5 in the stack", {}, { recoveryWindowInDays: "7.5" }, "", /is "7.5"/],
    ['forceDelete "yes" in the stack', {}, { forceDelete: "yes" }, "", /proj:forceDelete is "yes", but only true or false/],
    ['forceDelete "True" in the stack', {}, { forceDelete: "True" }, "", /is "True"/],
    ['forceDelete "1" in the stack', {}, { forceDelete: "1" }, "", /is "1"/],
    [
        'forceDelete "yes" on the resource',
        { forceDelete: "yes" },
        {},
        "forceDelete",
        /forceDelete is "yes".*Secret's forceDelete to true or false/,
    ],
    ["both keys in the stack", {}, { forceDelete: "true", recoveryWindowInDays: "7" }, "", /contradict each other.*pulumi config rm/],
    ["both keys on the resource", { forceDelete: true, recoveryWindowInDays: 7 }, {}, "forceDelete", /set only one of the Secret's/],
    ["a replica region listed twice", { replicas: [{ region: "eu-west-1" }, { region: "eu-west-1" }] }, {}, "replicas", /listed twice/],
    ["a replica in the secret's own region", { replicas: [{ region: "us-east-1" }] }, {}, "replicas", /is the secret's own region/],
    ["a replica without a region", { replicas: [{ kmsKeyId: "k" }] }, {}, "replicas", /region is missing/],
    ["a replica region that is not a region", { replicas: [{ region: "Europe" }] }, {}, "replicas", /not an AWS region name/],
    ["replicas that are not a list", { replicas: "eu-west-1" }, {}, "replicas", /must be a list/],
    ["a replica with an unknown field", { replicas: [{ region: "eu-west-1", kms: "k" }] }, {}, "replicas", /unknown field "kms"/],
    [
        "50 tags (one of AWS's 50 is the provider's create token)",
        { tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "v"])) },
        {},
        "tags",
        /at most 50, one of which is pulumi-safe-secret:create-token/,
    ],
    [
        "the provider's own create-token tag",
        { tags: { "pulumi-safe-secret:create-token": "x" } },
        {},
        "tags",
        /written by the provider itself/,
    ],
    ["a tag key with the aws: prefix", { tags: { "aws:owner": "me" } }, {}, "tags", /reserved prefix/],
    ["a tag key of 129 characters", { tags: { ["k".repeat(129)]: "v" } }, {}, "tags", /1–128 characters/],
    ["a tag value of 257 characters", { tags: { k: "v".repeat(257) } }, {}, "tags", /at most 256/],
    ["a tag value that is a number", { tags: { k: 5 } }, {}, "tags", /must be strings/],
    ["a tag key with a bracket", { tags: { "a[b]": "v" } }, {}, "tags", /characters AWS refuses/],
    ["tags as a list", { tags: ["a"] }, {}, "tags", /map of strings/],
    ["a region that is not a region", { region: "useast1" }, {}, "region", /not an AWS region name/],
    [
        "aws:region that is not a region",
        { region: undefined },
        { aws: { region: "US East" } },
        "",
        /aws:region "US East" is not an AWS region/,
    ],
    ["a description of 2049 characters", { description: "d".repeat(2049) }, {}, "description", /at most 2048/],
    ["an empty secretString", { secretString: "" }, {}, "", /empty/],
    ["a secretString over 64 KiB", { secretString: "x".repeat(65537) }, {}, "", /65537 bytes/],
    ["a secretString that is an object", { secretString: { a: 1 } }, {}, "", /JSON.stringify/],
    ["an empty kmsKeyId", { kmsKeyId: "" }, {}, "kmsKeyId", /KMS key id, alias or ARN/],
    ["forceOverwriteReplicaSecret as a string", { forceOverwriteReplicaSecret: "yes" }, {}, "forceOverwriteReplicaSecret", /true or false/],
    ['purgeTimeoutSeconds "soon" in the stack', {}, { purgeTimeoutSeconds: "soon" }, "", /whole number of seconds/],
    [
        'teardownProtection "yes" in the stack',
        {},
        { teardownProtection: "yes" },
        "",
        /proj:teardownProtection is "yes", but only true or false/,
    ],
    [
        "forceDelete in a protected stack",
        {},
        { teardownProtection: "true", forceDelete: "true" },
        "",
        /proj:teardownProtection is true, so secrets of this stack may not be deleted without recovery.*pulumi config rm forceDelete/,
    ],
    [
        "a Secret's forceDelete in a protected stack",
        { forceDelete: true },
        { teardownProtection: "true" },
        "forceDelete",
        /may not be deleted without recovery.*remove the Secret's forceDelete/,
    ],
    ["adopt as a string", { adopt: "yes" }, {}, "adopt", /adopt must be true or false/],
    ["restoreIfScheduled without adopt", { restoreIfScheduled: true }, {}, "restoreIfScheduled", /only with adopt: true/],
    ["an empty profile", { profile: "" }, {}, "profile", /name of an AWS profile/],
    [
        "an assumeRole that is not an IAM role ARN",
        { assumeRole: { roleArn: "deployer" } },
        {},
        "assumeRole",
        /assumeRole.roleArn "deployer" is not an IAM role ARN/,
    ],
    [
        "an assumeRole duration of 60 s",
        { assumeRole: { roleArn: "arn:aws:iam::123456789012:role/x", durationSeconds: 60 } },
        {},
        "assumeRole",
        /900 to 43200/,
    ],
    ["aws:assumeRoles that is not JSON", {}, { aws: { assumeRoles: "{nope" } }, "", /aws:assumeRoles is not valid JSON/],
    [
        "aws:assumeRoles with a bad ARN",
        {},
        { aws: { assumeRoles: '[{"roleArn":"x"}]' } },
        "",
        /aws:assumeRoles\[0\].roleArn "x" is not an IAM role ARN/,
    ],
    [
        "aws:endpoints with a bad URL",
        {},
        { aws: { endpoints: '[{"secretsmanager":"localhost:4566"}]' } },
        "",
        /aws:endpoints secretsmanager "localhost:4566" is not an http\(s\) URL/,
    ],
];

describe("check rejects bad input at preview, before any AWS call", () => {
    for (const [what, inputs, stack, property, message] of badInputs) {
        it(`rejects ${what}${property ? ` on property ${property}` : ""}, with the key and the fix in the message`, async () => {
            const r = await checkSecret({}, { ...base, ...inputs }, stackOf(stack));
            const f = r.failures.find((x) => x.property === property && message.test(x.reason));
            assert.ok(f, `no failure on "${property}" matching ${message}; got ${JSON.stringify(r.failures)}`);
        });
    }

    it("docs/robustness.md gives this table's size", () => {
        const doc = require("fs").readFileSync(require("path").join(__dirname, "../../docs/robustness.md"), "utf8");
        assert.match(doc, new RegExp(`\\| bad inputs \\| ${badInputs.length} in the \`check\` table`));
    });

    it("never echoes the secret value in a message", async () => {
        const value = "s3cr3t-" + "x".repeat(65536);
        const r = await checkSecret({}, { ...base, secretString: value }, stackOf());
        assert.equal(r.failures.length, 1);
        assert.ok(!r.failures[0].reason.includes("s3cr3t"));
    });

    it("accepts good inputs and records the policy a destroy will apply", async () => {
        const r = await checkSecret(
            {},
            { ...base, name: "app/db", replicas: [{ region: "eu-west-1" }], tags: { team: "x" } },
            stackOf({ recoveryWindowInDays: "7" }),
        );
        assert.deepEqual(r.failures, []);
        assert.deepEqual(r.inputs.deletionPolicy, {
            mode: "window",
            recoveryWindowInDays: 7,
            source: "stack",
            description: "recovery window of 7 days (stack config)",
        });
    });

    it("allows any recovery window in a protected stack", async () => {
        const r = await checkSecret({}, { ...base, recoveryWindowInDays: 7 }, stackOf({ teardownProtection: "true" }));
        assert.deepEqual(r.failures, []);
    });

    it("takes the region from aws:region when the Secret names none", async () => {
        const r = await checkSecret({}, { resourceName: "db" }, stackOf({ aws: { region: "eu-central-1" } }));
        assert.equal(r.inputs.region, "eu-central-1");
    });

    it("skips values not known until apply", async () => {
        const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const r = await checkSecret({}, { ...base, name: unknown, secretString: unknown, tags: unknown }, stackOf());
        assert.deepEqual(r.failures, []);
    });
});

describe("autonaming", () => {
    it("names an unnamed secret after its resource with a random suffix", () => {
        assert.deepEqual(
            resolveName({}, { resourceName: "db" }, () => "abc1234"),
            { name: "db-abc1234", autonamed: true },
        );
    });
    it("keeps the generated name on later updates", () => {
        assert.deepEqual(
            resolveName({ name: "db-abc1234", autonamed: true, resourceName: "db" }, { resourceName: "db" }, () => "zzz"),
            { name: "db-abc1234", autonamed: true },
        );
    });
    it("keeps the generated name when the resource is renamed with an alias", () => {
        assert.deepEqual(
            resolveName({ name: "db-abc1234", autonamed: true, resourceName: "db" }, { resourceName: "database" }, () => "zzz"),
            { name: "db-abc1234", autonamed: true },
        );
    });
    it("shows a new autoname as unknown in a preview, since up draws its own suffix", () => {
        assert.deepEqual(
            resolveName({}, { resourceName: "db", dryRun: true }, () => "abc1234"),
            { name: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", autonamed: true },
        );
    });
    it("does not store the preview flag", async () => {
        const r = await checkSecret({}, { ...base, dryRun: true }, stackOf());
        assert.equal("dryRun" in r.inputs, false);
    });
    it("reports a bad region once", async () => {
        const r = await checkSecret({}, { ...base, region: "Mars" }, stackOf());
        assert.equal(r.failures.filter((f) => /Mars/.test(f.reason)).length, 1, JSON.stringify(r.failures));
    });
    it("uses an explicit name as given", () => {
        assert.deepEqual(resolveName({ name: "db-abc1234", autonamed: true, resourceName: "db" }, { name: "app/db", resourceName: "db" }), {
            name: "app/db",
            autonamed: false,
        });
    });
});

describe("check refuses a name a Secret does not take, and a misspelt stack key, at preview", () => {
    /** A name lookup that counts its calls: check's only way to AWS. */
    function countingLookup() {
        const calls: string[] = [];
        return { calls, lookup: async (name: string) => (calls.push(name), "free" as const) };
    }
    const reasons = (r: { failures: { reason: string }[] }) => r.failures.map((f) => f.reason).join("\n");

    // [input as written, its value, what the message must say]
    const unknownInputs: [string, unknown, RegExp][] = [
        ["forceDelet", true, /^forceDelet \(true\) is not an input of a Secret — did you mean forceDelete\? Rename it to forceDelete$/],
        ["recoveryWindowInDay", 7, /^recoveryWindowInDay \(7\) is not an input of a Secret — did you mean recoveryWindowInDays\?/],
        ["forcedelete", true, /did you mean forceDelete\?/],
        ["recoveryWindowIndays", 7, /did you mean recoveryWindowInDays\?/],
        ["inUseGuardDay", 3, /did you mean inUseGuardDays\?/],
        ["tag", { team: "x" }, /^tag is not an input of a Secret — did you mean tags\?/],
        [
            "generateSecretStrng",
            { passwordLength: 32 },
            /^generateSecretStrng is not an input of a Secret — did you mean generateSecretString\?/,
        ],
        [
            "colour",
            "blue",
            /^colour is not an input of a Secret, which takes name, description, secretString, .*assumeRole — rename or remove it$/,
        ],
        ["arn", "arn:aws:secretsmanager:us-east-1:1:secret:x", /^arn is an output of a Secret, set from AWS, not an input — remove it$/],
    ];
    for (const [input, value, message] of unknownInputs) {
        it(`refuses ${input}, naming it and the fix, before any AWS call`, async () => {
            const { calls, lookup } = countingLookup();
            const r = await checkSecret({}, { ...base, owner: "o/p/s::db", [input]: value }, stackOf(), lookup);
            assert.equal(r.failures.length, 1, JSON.stringify(r.failures));
            assert.match(r.failures[0].reason, message);
            // No property: the engine would print its value, and a misspelt name may hold a secret.
            assert.equal(r.failures[0].property, "");
            assert.deepEqual(calls, []);
        });
    }

    it("never shows the value of a misspelt secretString", async () => {
        const r = await checkSecret({}, { ...base, secretStrng: "hunter2-value" }, stackOf());
        assert.match(reasons(r), /^secretStrng is not an input of a Secret — did you mean secretString\?/);
        assert.doesNotMatch(reasons(r), /hunter2/);
    });

    it("knows the inputs the dynamic Secret adds itself", async () => {
        const { calls, lookup } = countingLookup();
        const news = { ...base, resourceName: "db", stack: "o/p/s", owner: "o/p/s::db", dryRun: false, __provider: "exports.handler" };
        const r = await checkSecret({}, news, stackOf(), lookup);
        assert.deepEqual(r.failures, []);
        assert.equal(calls.length, 1, "an accepted autonamed Secret looks its name up");
    });

    for (const version of ["v0.1.0", "v0.2.0", "v0.3.0", "v0.4.0"]) {
        it(`accepts the inputs ${version} recorded in state, also given back as a program's`, async () => {
            const state = JSON.parse(
                require("fs").readFileSync(require("path").join(__dirname, `../fixtures/${version}/state.json`), "utf8"),
            );
            const secret = state.deployment.resources.find((x: any) => x.type.endsWith(":Secret"));
            const recorded = secret.inputs as Record<string, unknown>;
            assert.ok("deletionPolicy" in recorded && "autonamed" in recorded && "__provider" in recorded);
            const fromOld = await checkSecret(recorded as any, { ...base, name: recorded.name }, stackOf());
            assert.deepEqual(fromOld.failures, []);
            const r = await checkSecret(recorded as any, recorded, stackOf());
            assert.doesNotMatch(reasons(r), /not an input/);
        });
    }

    // [key as set, its value, the key meant]
    const misspeltKeys: [string, string, string][] = [
        ["teardownProtecton", "true", "teardownProtection"],
        ["forceDelet", "true", "forceDelete"],
        ["recoveryWindowInDay", "7", "recoveryWindowInDays"],
        ["inUseGuardDay", "7", "inUseGuardDays"],
        ["TeardownProtection", "true", "teardownProtection"],
        ["forceDeleet", "true", "forceDelete"],
        ["frceDelete", "true", "forceDelete"],
    ];
    for (const [key, value, meant] of misspeltKeys) {
        it(`refuses the stack key proj:${key}, naming proj:${meant} and the two commands that fix it`, async () => {
            const { calls, lookup } = countingLookup();
            const config: Record<string, string> = { [`proj:${key}`]: value, "aws:region": "us-east-1" };
            const stack = readStackSettings((k) => config[k], "proj", Object.keys(config));
            const r = await checkSecret({}, { ...base, owner: "o/p/s::db" }, stack, lookup);
            assert.equal(r.failures.length, 1, JSON.stringify(r.failures));
            assert.equal(
                r.failures[0].reason,
                `proj:${key} is not a key this provider reads — did you mean proj:${meant}? As set it changes nothing: ` +
                    `run \`pulumi config rm ${key}\` and \`pulumi config set ${meant} ${value}\``,
            );
            assert.equal(r.failures[0].property, "");
            assert.deepEqual(calls, []);
        });
    }

    it("names the plugin's safesecret: keys in the plugin's form", async () => {
        const r = await checkSecret({}, base, readPluginSettings({ teardownProtecton: true, region: "us-east-1", profile: "p" }));
        assert.equal(
            reasons(r),
            "safesecret:teardownProtecton is not a key this provider reads — did you mean safesecret:teardownProtection? As set " +
                "it changes nothing: run `pulumi config rm safesecret:teardownProtecton` and `pulumi config set safesecret:teardownProtection true`",
        );
    });

    it("leaves the program's own keys alone, and never shows a value that could be a secret", async () => {
        const config: Record<string, string> = {
            "proj:dbPassword": "hunter2",
            "proj:forceDeleteAfterDays": "3",
            "proj:region": "eu-west-1",
            "proj:forceDelte": "hunter2",
            "other:forceDelet": "true",
            "proj:forceDelete": "false",
        };
        const r = await checkSecret(
            {},
            base,
            readStackSettings((k) => config[k], "proj", Object.keys(config)),
        );
        assert.equal(r.failures.length, 1, JSON.stringify(r.failures));
        assert.match(reasons(r), /^proj:forceDelte .*`pulumi config set forceDelete <value>`$/);
        assert.doesNotMatch(reasons(r), /hunter2/);
    });
});
