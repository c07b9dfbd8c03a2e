// The one property table (provider/core/properties.ts) and what derives from it: the plugin's schema, diff's field
// classes, check's known names and the plugin's secret marks. Each test walks the table, so a property added there is
// held to the same rules without a test edit. (The dynamic Secret's declared outputs: secret-construct.test.ts.)

import { strict as assert } from "assert";
import { pluginSchema } from "../../provider/adapters/plugin/schema";
import { secretKeys } from "../../provider/adapters/plugin/secrets";
import { diffSecret } from "../../provider/core/diff";
import { PropertyName, PropertyType, SECRET_PROPERTIES } from "../../provider/core/properties";
import { validateInputNames } from "../../provider/core/validate";
import { SecretInputs, SecretOutputs } from "../../provider/core/types";

const NAMES = Object.keys(SECRET_PROPERTIES) as PropertyName[];
const spec = (name: PropertyName) => SECRET_PROPERTIES[name] as (typeof SECRET_PROPERTIES)[PropertyName] & Record<string, unknown>;
const where = (test: (p: ReturnType<typeof spec>) => boolean) => NAMES.filter((n) => test(spec(n)));

/** Two different values of each type of the vocabulary, as state holds them. */
const SAMPLES: Record<PropertyType, [unknown, unknown]> = {
    string: ["a", "b"],
    integer: [7, 8],
    boolean: [false, true],
    "map<string>": [{ team: "a" }, { team: "b" }],
    "Replica[]": [[{ region: "eu-west-1" }], [{ region: "eu-central-1" }]],
    "ReplicaStatus[]": [[{ region: "eu-west-1", status: "InSync" }], [{ region: "eu-west-1", status: "Failed" }]],
    AssumeRole: [{ roleArn: "arn:aws:iam::1:role/a" }, { roleArn: "arn:aws:iam::1:role/b" }],
    DeletionPolicy: [
        { mode: "window", recoveryWindowInDays: 7, source: "stack", description: "7 days" },
        { mode: "force", source: "resource", description: "at once" },
    ],
    GenerateSecretString: [{ passwordLength: 32 }, { passwordLength: 40 }],
    "string | number": ["1", "2"],
};

/** A secret's state: name "app/db" in us-east-1, no replicas (so no replace of one field ever clashes). */
const STATE = { name: "app/db", region: "us-east-1", arn: "arn", replicaStatus: [] } as SecretOutputs;

describe("the Secret's property table", () => {
    const secret = (pluginSchema("1.2.3") as any).resources["safesecret:index:Secret"];

    it("publishes in the schema every property a program gives, and nothing else, as input properties", () => {
        assert.deepEqual(Object.keys(secret.inputProperties).sort(), where((p) => p.from === "program").sort());
    });

    it("publishes as schema properties every output and every input that is also one, leaving out the provider's own", () => {
        assert.deepEqual(Object.keys(secret.properties).sort(), where((p) => p.io !== "input").sort());
        for (const internal of where((p) => p.io === "input")) assert.equal(secret.properties[internal], undefined, internal);
    });

    it("gives each property in the schema its type, its doc (with its default) and its secret mark", () => {
        for (const name of Object.keys(secret.properties) as PropertyName[]) {
            const p = spec(name);
            const published = secret.properties[name];
            assert.ok(published.description.startsWith(p.doc), name);
            if (p.default !== undefined) assert.ok(published.description.endsWith(`Default: ${p.default}.`), name);
            assert.equal(published.secret, p.secret, name);
            assert.ok(published.type ?? published.$ref, `${name} has a type`);
            if (name in secret.inputProperties) assert.deepEqual(secret.inputProperties[name], published, name);
        }
        assert.equal(secret.properties.secretString.secret, true);
        assert.deepEqual(secret.properties.replicas.items, { $ref: "#/types/safesecret:index:Replica" });
    });

    it("requires in the schema exactly the outputs the table says are always present", () => {
        assert.deepEqual([...secret.required].sort(), where((p) => p.io !== "input" && p.required !== undefined).sort());
        assert.deepEqual([...secret.required].sort(), ["arn", "deletionPolicy", "name", "region", "replicaStatus"]);
    });

    it("has diff replace the secret on a change of a replace property, update it on an aws or state one, and ignore the rest", () => {
        for (const name of NAMES.filter((n) => !spec(n).transient)) {
            const [before, after] = SAMPLES[spec(name).type];
            const olds = { ...STATE, [name]: before } as SecretOutputs;
            const d = diffSecret(olds, { ...olds, [name]: after } as SecretInputs);
            const expected = spec(name).diff;
            if (expected === "replace") assert.deepEqual([d.replaces, d.updates], [[name], []], name);
            else if (expected === "none") assert.equal(d.changes, false, name);
            else assert.deepEqual([d.replaces, d.updates], [[], [name]], name);
        }
        assert.deepEqual(
            where((p) => p.diff === "replace"),
            ["name", "region"],
        );
    });

    it("lets check take every input name the table knows and refuse an output by name", () => {
        for (const name of where((p) => p.io !== "output")) assert.deepEqual(validateInputNames({ [name]: undefined }), [], name);
        for (const name of where((p) => p.io === "output")) {
            const [problem] = validateInputNames({ [name]: "x" });
            assert.equal(problem?.reason, `${name} is an output of a Secret, set from AWS, not an input — remove it`);
        }
        const [unknown] = validateInputNames({ colour: "blue" });
        assert.ok(unknown?.reason.includes(`which takes ${where((p) => p.from === "program").join(", ")} —`), unknown?.reason);
    });

    it("has the plugin mark every secret value of the table, given as a secret or not", () => {
        assert.deepEqual(
            [...secretKeys({})],
            where((p) => p.secret === true),
        );
    });

    it("says who sets each property consistently with where it goes: AWS only outputs, a program only inputs it also reads", () => {
        for (const name of NAMES) {
            const p = spec(name);
            assert.equal(p.from === "aws", p.io === "output", name);
            if (p.from === "program") assert.equal(p.io, "both", name);
            if (p.transient) assert.equal(p.io, "input", name);
        }
    });
});
