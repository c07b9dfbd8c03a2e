// Reading a secret's value from AWS past the AWS layer, and asserting where a generated value must (its constraints)
// and must not (state, logs) be found. Shared by the engine tests of generated values.

import { strict as assert } from "assert";
import { GetSecretValueCommand, ListSecretVersionIdsCommand } from "@aws-sdk/client-secrets-manager";
import { observer } from "./aws-fixtures";

export const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
export const DIGITS = "0123456789";
export const PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/** The value AWS holds, read past the layer (no call counted). */
export async function valueOf(id: string): Promise<string> {
    return (await observer().send(new GetSecretValueCommand({ SecretId: id }))).SecretString!;
}

export async function versionCount(id: string): Promise<number> {
    return ((await observer().send(new ListSecretVersionIdsCommand({ SecretId: id }))).Versions ?? []).length;
}

/** A template value's password, after checking the template's other keys came through as given. */
export function passwordIn(value: string, length: number): string {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed).sort(), ["password", "username"], value.replace(/"password":"[^"]*"/, '"password":"…"'));
    assert.equal(parsed.username, "app");
    assert.equal(typeof parsed.password, "string");
    assert.equal((parsed.password as string).length, length, "the password's length");
    return parsed.password as string;
}

export function assertOnlyFrom(text: string, allowed: string, what: string): void {
    const stray = [...new Set(text)].filter((c) => !allowed.includes(c));
    assert.deepEqual(stray, [], `${what} holds characters it was told to leave out`);
}

/**
 * Asserts no needle (a generated value, a password) appears in any of the texts, raw or as JSON escapes it. Counted,
 * never printed: a failure must not print the value either.
 */
export function assertNowhere(needles: string[], texts: [string, string][]): void {
    for (const needle of needles) {
        assert.ok(needle.length >= 16, "a needle that short could match by chance");
        const forms = new Set([needle, JSON.stringify(needle).slice(1, -1)]);
        for (const [where, text] of texts) {
            for (const form of forms) assert.equal(text.split(form).length - 1, 0, `a generated value appears in ${where}`);
        }
    }
}
