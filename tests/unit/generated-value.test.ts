// The pure part of generated values (core/generated-value.ts): what check refuses at preview, the GetRandomPassword
// request a spec makes, CDK's template form, when an update puts a new value, and the redaction of error texts.

import { strict as assert } from "assert";
import { checkSecret } from "../../provider/lifecycle/check";
import { generateReason, includedClasses, randomPasswordRequest, secretValueOf, ValueState } from "../../provider/core/generated-value";
import { operationError, withoutValues } from "../../provider/core/errors";
import { pluginSchema } from "../../provider/adapters/plugin/schema";
import { UNKNOWN } from "../../provider/core/validate";

const stack = { project: "proj", aws: { region: "us-east-1" } };
const G = "generateSecretString";

/** check of a Secret named "app/db" with these inputs, counting the AWS lookups it makes (there must be none). */
async function check(inputs: Record<string, unknown>) {
    const calls: string[] = [];
    const lookup = async (name: string) => (calls.push(name), "free" as const);
    const r = await checkSecret({}, { name: "app/db", region: "us-east-1", owner: "o/p/s::db", ...inputs }, stack, lookup);
    return { ...r, calls };
}

// [what the user got wrong, inputs, the property the failure is on, the message (key and fix)]
const refusals: [string, Record<string, unknown>, string, RegExp][] = [
    [
        "passwordLength 0",
        { [G]: { passwordLength: 0 } },
        G,
        /^generateSecretString.passwordLength must be a whole number from 1 to 4096, got 0 — e\.g\. 32/,
    ],
    ["passwordLength 4097", { [G]: { passwordLength: 4097 } }, G, /passwordLength must be a whole number from 1 to 4096, got 4097/],
    ["passwordLength 12.5", { [G]: { passwordLength: 12.5 } }, G, /got 12\.5/],
    ['passwordLength "long"', { [G]: { passwordLength: "long" } }, G, /got "long"/],
    [
        "a template that is not JSON",
        { [G]: { secretStringTemplate: "{user: app}", generateStringKey: "password" } },
        G,
        /secretStringTemplate must be a JSON object as text, e\.g\. '\{"username":"app"\}'/,
    ],
    [
        "a template that is a JSON array",
        { [G]: { secretStringTemplate: "[1]", generateStringKey: "password" } },
        G,
        /secretStringTemplate must be a JSON object/,
    ],
    [
        "a template given as an object",
        { [G]: { secretStringTemplate: { username: "app" }, generateStringKey: "password" } },
        G,
        /secretStringTemplate must be a JSON object as text.*JSON\.stringify/,
    ],
    [
        "a template that holds the key",
        { [G]: { secretStringTemplate: '{"password":"x"}', generateStringKey: "password" } },
        G,
        /secretStringTemplate already holds the key "password".*remove it from the template, or choose another generateStringKey/,
    ],
    [
        "a template without generateStringKey",
        { [G]: { secretStringTemplate: '{"username":"app"}' } },
        G,
        /secretStringTemplate is given without generateStringKey.*add generateStringKey, or drop secretStringTemplate/,
    ],
    [
        "generateStringKey without a template",
        { [G]: { generateStringKey: "password" } },
        G,
        /generateStringKey is given without secretStringTemplate.*add secretStringTemplate/,
    ],
    [
        "an empty generateStringKey",
        { [G]: { secretStringTemplate: "{}", generateStringKey: "" } },
        G,
        /generateStringKey must be a non-empty string/,
    ],
    [
        "secretString beside generateSecretString",
        { secretString: "v", [G]: {} },
        G,
        /secretString and generateSecretString are both given.*third-party API key.*remove the other/,
    ],
    [
        "generation without generateSecretString",
        { generation: 2 },
        "generation",
        /^generation takes effect only with generateSecretString.*add generateSecretString, or drop generation/,
    ],
    ["generation true", { [G]: {}, generation: true }, "generation", /^generation must be a string or a number, e\.g\. 2, got true/],
    [
        "every class excluded",
        { [G]: { excludeNumbers: true, excludePunctuation: true, excludeUppercase: true, excludeLowercase: true } },
        G,
        /excludes every character class.*nothing to generate from — set one of them to false$/,
    ],
    [
        "excludeCharacters that removes every remaining character",
        {
            [G]: {
                excludeNumbers: true,
                excludePunctuation: true,
                excludeUppercase: true,
                excludeCharacters: "abcdefghijklmnopqrstuvwxyz",
            },
        },
        G,
        /excludeCharacters removes every character the included classes \(lowercase\) hold.*exclude fewer characters/,
    ],
    [
        "excludeCharacters that empties a class each type requires",
        { [G]: { excludeCharacters: "0123456789" } },
        G,
        /excludeCharacters removes every character of numbers, which requireEachIncludedType \(true unless set to false\) requires — exclude numbers with its flag, set requireEachIncludedType: false/,
    ],
    [
        "every class excluded but the space",
        { [G]: { excludeNumbers: true, excludePunctuation: true, excludeUppercase: true, excludeLowercase: true, includeSpace: true } },
        G,
        /excludes every character class/,
    ],
    [
        "a length below the classes each type requires",
        { [G]: { passwordLength: 3 } },
        G,
        /passwordLength is 3, shorter than the 4 character classes.*at least 4/,
    ],
    [
        "a misspelt parameter",
        { [G]: { passwordLenght: 32 } },
        G,
        /^generateSecretString.passwordLenght is not a parameter of generateSecretString — did you mean passwordLength\? Rename it to passwordLength$/,
    ],
    [
        "an unknown parameter",
        { [G]: { colour: "blue" } },
        G,
        /colour is not a parameter of generateSecretString, which takes passwordLength, excludeCharacters, .*generateStringKey — rename or remove it/,
    ],
    ["a flag as a string", { [G]: { excludeNumbers: "yes" } }, G, /^generateSecretString.excludeNumbers must be true or false, got "yes"/],
    [
        "excludeCharacters as a list",
        { [G]: { excludeCharacters: ["a"] } },
        G,
        /excludeCharacters must be a string of the characters to leave out/,
    ],
    ["generateSecretString as a number", { [G]: 32 }, G, /^generateSecretString must be an object like \{ passwordLength: 32 \}, got 32/],
    [
        "a template too big for AWS",
        { [G]: { secretStringTemplate: JSON.stringify({ a: "x".repeat(65000) }), generateStringKey: "p", passwordLength: 4096 } },
        G,
        /makes a value of \d+ bytes; AWS allows at most 65536/,
    ],
];

describe("check refuses a bad generateSecretString or generation at preview, before any AWS call", () => {
    for (const [what, inputs, property, message] of refusals) {
        it(`refuses ${what}, naming the key and the fix`, async () => {
            const r = await check(inputs);
            assert.equal(r.failures.length, 1, JSON.stringify(r.failures));
            assert.match(r.failures[0]!.reason, message);
            assert.equal(r.failures[0]!.property, property);
            assert.deepEqual(r.calls, []);
        });
    }

    it("never shows the secretString given beside generateSecretString", async () => {
        const r = await check({ secretString: "hunter2-do-not-show", [G]: {} });
        assert.ok(!JSON.stringify(r.failures).includes("hunter2"));
    });

    it("accepts good parameters, and stores a generation number and a passwordLength as digits in their canonical types", async () => {
        const spec = { passwordLength: "40", excludeCharacters: "\"'\\/@", requireEachIncludedType: true };
        const r = await check({ [G]: spec, generation: 3 });
        assert.deepEqual(r.failures, []);
        assert.equal(r.inputs.generation, "3");
        assert.deepEqual(r.inputs.generateSecretString, { ...spec, passwordLength: 40 });
        const t = await check({ [G]: { secretStringTemplate: '{"username":"app"}', generateStringKey: "password" } });
        assert.deepEqual(t.failures, []);
    });

    it("checks values not known until apply once they are known", async () => {
        assert.deepEqual((await check({ [G]: UNKNOWN, generation: UNKNOWN })).failures, []);
        assert.deepEqual((await check({ [G]: { passwordLength: UNKNOWN, excludeCharacters: UNKNOWN } })).failures, []);
    });

    it("keeps a passwordLength not known until apply in the inputs, so the preview shows it", async () => {
        const r = await check({ [G]: { passwordLength: UNKNOWN, excludePunctuation: true } });
        assert.deepEqual(r.failures, []);
        assert.deepEqual(r.inputs[G], { passwordLength: UNKNOWN, excludePunctuation: true });
    });

    it("previews a template not known until apply (no JSON.parse of the placeholder), and still checks the length", async () => {
        const form = { secretStringTemplate: UNKNOWN, generateStringKey: "password" };
        const ok = await check({ [G]: { ...form, passwordLength: 40 } });
        assert.deepEqual(ok.failures, []);
        assert.deepEqual(ok.inputs[G], { ...form, passwordLength: 40 });
        const short = await check({ [G]: { ...form, passwordLength: 2 } });
        assert.match(short.failures.map((f) => f.reason).join("\n"), /passwordLength is 2, shorter than the 4 character classes/);
        assert.deepEqual(short.calls, []);
    });
});

describe("the GetRandomPassword request and the value", () => {
    it("asks for AWS's default length explicitly and passes each parameter under AWS's name", () => {
        assert.deepEqual(JSON.parse(JSON.stringify(randomPasswordRequest({}))), { PasswordLength: 32 });
        assert.deepEqual(
            JSON.parse(
                JSON.stringify(
                    randomPasswordRequest({
                        passwordLength: 12,
                        excludeCharacters: "ab",
                        excludeNumbers: true,
                        excludePunctuation: false,
                        excludeUppercase: true,
                        excludeLowercase: false,
                        includeSpace: true,
                        requireEachIncludedType: false,
                        secretStringTemplate: "{}",
                        generateStringKey: "p",
                    }),
                ),
            ),
            {
                PasswordLength: 12,
                ExcludeCharacters: "ab",
                ExcludeNumbers: true,
                ExcludePunctuation: false,
                ExcludeUppercase: true,
                ExcludeLowercase: false,
                IncludeSpace: true,
                RequireEachIncludedType: false,
            },
        );
    });

    it("is the password alone, or CDK's form: the template with the password at generateStringKey", () => {
        assert.equal(secretValueOf({}, "pw"), "pw");
        assert.equal(
            secretValueOf({ secretStringTemplate: '{"username":"app"}', generateStringKey: "password" }, 'p"w'),
            '{"username":"app","password":"p\\"w"}',
        );
    });

    it("draws from the classes not excluded, less the excluded characters", () => {
        assert.deepEqual(
            includedClasses({ excludeUppercase: true, excludePunctuation: true, excludeCharacters: "abc0", includeSpace: true }).map(
                (c) => [c.name, c.chars.length],
            ),
            [
                ["lowercase", 23],
                ["numbers", 9],
                ["space", 1],
            ],
        );
    });
});

describe("when an update puts a newly generated value", () => {
    const gen = (generation?: string, extra: ValueState = {}): ValueState => ({
        generateSecretString: {},
        generation,
        versionId: "v1",
        ...extra,
    });
    // [the case, olds, news, expected]
    const cases: [string, ValueState, ValueState, ReturnType<typeof generateReason>][] = [
        ["generation changed", gen("1"), gen("2"), "rotate"],
        ["generation added", gen(), gen("1"), "rotate"],
        ["generation removed (it asks for nothing)", gen("1"), gen(), undefined],
        ['generation 2 and then "2"', gen("2"), { ...gen(), generation: 2 }, undefined],
        ["only the parameters changed", gen("1"), { ...gen("1"), generateSecretString: { passwordLength: 64 } }, undefined],
        ["nothing changed", gen("1"), gen("1"), undefined],
        ["switched from secretString", { secretString: "v", versionId: "v1" }, gen(), "switch"],
        ["the secret has no value yet", { versionId: undefined }, gen(), "first"],
        ["taken over with a value (import, adopt): no parameters recorded", { versionId: "v1" }, gen(), undefined],
        ["switched to secretString", gen("1"), { secretString: "v" }, undefined],
        ["no generated value at all", { secretString: "a" }, { secretString: "b" }, undefined],
    ];
    for (const [what, olds, news, expected] of cases) {
        it(`${expected ?? "none"} when ${what}`, () => assert.equal(generateReason(olds, news), expected));
    }
});

describe("an error from a call that carried a generated value", () => {
    it("has the value, also JSON-escaped, cut from its text, and does not chain the original", () => {
        const value = '{"u":"app","p":"a\\"b"}';
        const aws = Object.assign(new Error(`Value '${value}' and ${JSON.stringify(value)} and a"b`), {
            name: "ValidationException",
            secret: value,
        });
        const e = operationError("creating", "app/db", withoutValues(aws, [value, 'a"b']), "nothing was created");
        assert.equal(e.message.includes('a"b'), false, e.message);
        assert.equal(e.message.includes(value), false);
        assert.match(e.message, /^creating secret app\/db: ValidationException: Value '\[generated value\]'/);
        assert.ok(!JSON.stringify(e.cause, Object.getOwnPropertyNames(e.cause)).includes('a\\"b'));
    });
});

describe("the plugin's schema", () => {
    it("types generateSecretString as an object type with every parameter, and generation as a string", () => {
        const schema = pluginSchema("1.0.0") as {
            resources: Record<string, { inputProperties: Record<string, unknown> }>;
            types: Record<string, { properties: Record<string, unknown> }>;
        };
        const secret = schema.resources["safesecret:index:Secret"]!;
        assert.equal(
            (secret.inputProperties.generateSecretString as { $ref: string }).$ref,
            "#/types/safesecret:index:GenerateSecretString",
        );
        assert.equal((secret.inputProperties.generation as { type: string }).type, "string");
        assert.deepEqual(Object.keys(schema.types["safesecret:index:GenerateSecretString"]!.properties), [
            "passwordLength",
            "excludeCharacters",
            "excludeNumbers",
            "excludePunctuation",
            "excludeUppercase",
            "excludeLowercase",
            "includeSpace",
            "requireEachIncludedType",
            "secretStringTemplate",
            "generateStringKey",
        ]);
    });
});
