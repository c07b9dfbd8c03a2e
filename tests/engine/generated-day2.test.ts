// Day-2 operations on Secrets with a generated value (generateSecretString), through the real engine on the packed
// package: switching between a given value and a generated one, adopting a live secret, a rename, and `pulumi import`
// of a secret followed by a program that asks for a generated value. What is checked is what a user sees: the value
// AWS holds, the calls made, and the stack's current checkpoint.

import { strict as assert } from "assert";
import { CreateSecretCommand } from "@aws-sdk/client-secrets-manager";
import * as fs from "fs";
import { daysUntilDeletion, describeOrUndefined, observer } from "../support/aws-fixtures";
import { aws } from "../support/harness";
import {
    checkpointFile,
    cli,
    collect,
    EngineStack,
    inlineStack,
    pulumi,
    Secret,
    SECRET_SIG,
    writeYamlProgram,
    YAML_HEADER,
    yamlStack,
} from "../support/engine";
import { assertNowhere, assertOnlyFrom, DIGITS, LETTERS, valueOf, versionCount } from "../support/secret-values";

/** The Secret's entry in the stack's current checkpoint (the file the next operation starts from). */
function checkpointed(s: EngineStack, project: string, name: string): any {
    const file = checkpointFile(s.stateDir, project, "test");
    const resources: any[] = JSON.parse(fs.readFileSync(file, "utf8")).checkpoint.latest.resources;
    const found = resources.filter((r) => String(r.urn).endsWith(`::${name}`) && r.type !== "pulumi:pulumi:Stack");
    assert.equal(found.length, 1, `${name} in the checkpoint: ${resources.map((r) => r.urn).join(", ")}`);
    return found[0];
}

/** A YAML program of one Secret `db` that asks for a generated value of 36 characters; `extra`: lines after its properties. */
const importedProgram = (name: string, extra = "") => `${YAML_HEADER}resources:
  db:
    type: safesecret:index:Secret
    properties:
      name: ${name}
      generateSecretString:
        passwordLength: 36
${extra}`;

const valueCalls = () =>
    aws()
        .layer.ops()
        .filter((o) => o === "GetRandomPassword" || o === "PutSecretValue" || o === "GetSecretValue");

const callsOf = (op: string, name: string) =>
    aws().layer.calls.filter((c) => c.op === op && String(c.body.SecretId ?? c.body.Name).includes(`/${name}`));

describe("day-2 operations on generated values through the engine", function () {
    this.timeout(300_000);

    it("TypeScript: secretString → generateSecretString leaves no value or ciphertext in the checkpoint, and back encrypts the given one; an adopted secret keeps AWS's value until generation asks; a rename generates anew and schedules the old", async () => {
        const prefix = `gen-day2-${process.pid}`;
        const given = `given-value-${process.pid}-abcdef`;
        const again = `another-given-${process.pid}-uvwxyz`;
        const handMade = `made-by-hand-${process.pid}-klmnop`;
        await observer().send(new CreateSecretCommand({ Name: `${prefix}/adopted`, SecretString: handMade }));
        let mode: "given" | "generated" | "again" = "given";
        let generation: string | undefined = undefined;
        let renamed = false;
        const s = await inlineStack(async () => {
            const generate = { passwordLength: 30, excludePunctuation: true };
            new Secret("switch", {
                name: `${prefix}/switch`,
                ...(mode === "generated"
                    ? { generateSecretString: generate }
                    : { secretString: pulumi.secret(mode === "given" ? given : again) }),
            });
            new Secret("adopted", { name: `${prefix}/adopted`, adopt: true, generateSecretString: generate, generation });
            new Secret("moved", { name: `${prefix}/${renamed ? "moved-new" : "moved-old"}`, generateSecretString: generate });
        }, "genday2");
        await s.stack.setConfig("recoveryWindowInDays", { value: "7" });
        aws().layer.reset();
        await s.stack.up(collect(s));
        // The adopted secret keeps the value AWS holds; only the new one is generated.
        assert.equal(aws().layer.count("GetRandomPassword"), 1, aws().layer.ops().join(","));
        assert.equal(await valueOf(`${prefix}/adopted`), handMade);
        assert.equal(await valueOf(`${prefix}/switch`), given);
        const encrypted = JSON.stringify(checkpointed(s, "genday2", "switch"));
        assert.ok(encrypted.includes(SECRET_SIG), "the given value is not held as a secret in the checkpoint");
        assert.ok(!encrypted.includes(given), "the given value is in plain text in the checkpoint");
        const moved = await valueOf(`${prefix}/moved-old`);

        // Given → generated: one value generated and put; the given value leaves the checkpoint, ciphertext and all.
        mode = "generated";
        aws().layer.reset();
        await s.stack.up(collect(s));
        assert.deepEqual(valueCalls(), ["GetRandomPassword", "PutSecretValue"]);
        const generated = await valueOf(`${prefix}/switch`);
        assert.equal(generated.length, 30);
        assertOnlyFrom(generated, LETTERS + DIGITS, "the generated value");
        const switched = checkpointed(s, "genday2", "switch");
        for (const part of ["inputs", "outputs"]) {
            assert.equal(switched[part].secretString, undefined, `secretString is still in the checkpoint's ${part}`);
            assert.ok(!JSON.stringify(switched[part]).includes("ciphertext"), `a ciphertext is still in the checkpoint's ${part}`);
        }
        assertNowhere([generated, given], [["the state files", s.stateText()]]);

        // Generated → given: that value is sent (UpdateSecret), and held encrypted again.
        mode = "again";
        aws().layer.reset();
        await s.stack.up(collect(s));
        assert.deepEqual(valueCalls(), [], "a value was generated or read for a given one");
        assert.equal(callsOf("UpdateSecret", "switch").length, 1, aws().layer.ops().join(","));
        assert.equal(await valueOf(`${prefix}/switch`), again);
        const back = JSON.stringify(checkpointed(s, "genday2", "switch"));
        assert.ok(back.includes(SECRET_SIG) && !back.includes(again), "the given value is not encrypted in the checkpoint");

        // The adopted secret: a generation asks for a value, exactly one, and only for it.
        generation = "1";
        aws().layer.reset();
        await s.stack.up(collect(s));
        assert.deepEqual(valueCalls(), ["GetRandomPassword", "PutSecretValue"]);
        const adopted = await valueOf(`${prefix}/adopted`);
        assert.notEqual(adopted, handMade);
        assert.equal(adopted.length, 30);
        assert.equal(await versionCount(`${prefix}/adopted`), 2);

        // A rename: the new secret gets a value of its own before the old one is scheduled with the stack's window.
        renamed = true;
        aws().layer.reset();
        const up = await s.stack.up(collect(s));
        assert.equal(up.summary.resourceChanges?.replace, 1);
        const ops = aws().layer.ops();
        assert.ok(ops.indexOf("GetRandomPassword") < ops.indexOf("DeleteSecret"), ops.join(","));
        const renamedValue = await valueOf(`${prefix}/moved-new`);
        assert.equal(renamedValue.length, 30);
        assert.notEqual(renamedValue, moved);
        assert.equal(await daysUntilDeletion(`${prefix}/moved-old`), 7);

        await s.stack.destroy(collect(s));
        for (const name of ["switch", "adopted", "moved-new"]) assert.equal(await daysUntilDeletion(`${prefix}/${name}`), 7, name);
    });

    it("YAML: `pulumi import` of a live secret, then generateSecretString in the program: the up keeps AWS's value, a refresh reads no value, generation 1 → 2 puts one", async () => {
        const name = `gen-import-${process.pid}/db`;
        const handMade = `imported-by-hand-${process.pid}-qrstuv`;
        const made = await observer().send(new CreateSecretCommand({ Name: name, SecretString: handMade }));
        const s = await yamlStack("genimport", `${YAML_HEADER}resources: {}\n`);
        await s.stack.setConfig("safesecret:recoveryWindowInDays", { value: "7" });
        await s.stack.up(collect(s));
        await cli(s, ["import", "safesecret:index:Secret", "db", made.ARN!, "--yes", "--protect=false", "--stack", "test"]);
        const write = (generation?: number) =>
            writeYamlProgram(
                s.workDir,
                "genimport",
                importedProgram(name, generation === undefined ? "" : `      generation: ${generation}\n`),
            );

        write();
        aws().layer.reset();
        await s.stack.up(collect(s));
        assert.deepEqual(valueCalls(), [], "an imported secret's value was replaced or read");
        assert.equal(await valueOf(name), handMade);

        aws().layer.reset();
        await s.stack.refresh(collect(s));
        assert.deepEqual(valueCalls(), [], "a refresh read the value");

        write(1);
        aws().layer.reset();
        await s.stack.up(collect(s));
        assert.deepEqual(valueCalls(), ["GetRandomPassword", "PutSecretValue"]);
        const first = await valueOf(name);
        assert.equal(first.length, 36);
        write(2);
        aws().layer.reset();
        await s.stack.up(collect(s));
        assert.deepEqual(valueCalls(), ["GetRandomPassword", "PutSecretValue"]);
        const second = await valueOf(name);
        assert.notEqual(second, first);
        assert.equal(await versionCount(name), 3);
        assertNowhere([first, second], [["the state files", s.stateText()]]);

        await s.stack.destroy(collect(s));
        assert.equal(await daysUntilDeletion(made.ARN!), 7);
        assert.ok((await describeOrUndefined(made.ARN!))?.DeletedDate);
    });

    it("YAML: the import option with generateSecretString in one up imports the secret and keeps AWS's value; the next preview has no changes", async () => {
        const name = `gen-import-option-${process.pid}/db`;
        const handMade = `imported-by-option-${process.pid}-ghijkl`;
        const made = await observer().send(new CreateSecretCommand({ Name: name, SecretString: handMade }));
        const s = await yamlStack("genimportoption", importedProgram(name, `    options:\n      import: ${made.ARN}\n`));
        await s.stack.setConfig("safesecret:recoveryWindowInDays", { value: "7" });
        aws().layer.reset();
        const up = await s.stack.up(collect(s));
        assert.equal(up.summary.resourceChanges?.import, 1, s.printed());
        assert.deepEqual(valueCalls(), [], "the imported secret's value was replaced or read");
        assert.equal(await valueOf(name), handMade);
        await s.stack.preview({ ...collect(s), expectNoChanges: true });
        await s.stack.destroy(collect(s));
        assert.equal(await daysUntilDeletion(made.ARN!), 7);
    });
});
