// One grammar for the values users type (core/parse.ts), read by every key and flag that takes a whole number or a
// duration. Each table lists what the parsers it replaced (policy.ts's two, validate.ts's, args.ts's positiveInt and
// parseDuration, aws-settings.ts's parseDuration) accepted and rejected; the rows marked "was rejected" are the
// spellings one of them refused while another accepted them.

import { strict as assert } from "assert";
import { parseAssumeRole } from "../../provider/core/aws-settings";
import { describeValue, parseDuration, parseWholeNumber } from "../../provider/core/parse";
import { parseGuardDays, parseRecoveryWindow, SettingProblem, validateSettings } from "../../provider/core/policy";
import { parsePurgeTimeoutSeconds } from "../../provider/core/validate";
import { parseSweepArgs, parseTeardownArgs, UsageError } from "../../provider/commands/args";

type Row = [input: unknown, expected: number | undefined];

function check(parse: (v: unknown) => number | undefined, rows: Row[]): void {
    for (const [input, expected] of rows) assert.equal(parse(input), expected, `${describeValue(input)}`);
}

/** Spellings every whole-number setting reads alike, for a range that holds 7. */
const SPELLINGS_OF_7: Row[] = [
    [7, 7],
    ["7", 7],
    [" 7", 7],
    ["7 ", 7],
    ["\t7\n", 7],
    ["07", 7],
    ["007", 7],
    ["0007", 7], // was rejected by the days parsers (at most 3 digits) and --concurrency (no leading zero)
];

/** Never a whole number, whatever the range. */
const NOT_WHOLE_NUMBERS: Row[] = [
    ["", undefined],
    [" ", undefined],
    ["+7", undefined],
    ["-7", undefined],
    ["7.0", undefined],
    ["7.5", undefined],
    ["1e1", undefined],
    ["0x10", undefined],
    ["1 0", undefined],
    ["٧", undefined],
    ["seven", undefined],
    [7.5, undefined],
    [NaN, undefined],
    [Infinity, undefined],
    [true, undefined],
    ["true", undefined],
    [[7], undefined],
    [{}, undefined],
];

describe("whole numbers (parseWholeNumber)", () => {
    it("reads a recovery window of 7 to 30 days", () => {
        check(parseRecoveryWindow, [
            ...SPELLINGS_OF_7,
            ...NOT_WHOLE_NUMBERS,
            [6, undefined],
            ["6", undefined],
            [30, 30],
            ["30", 30],
            ["030", 30],
            ["0030", 30], // was rejected (more than 3 digits)
            [31, undefined],
            ["31", undefined],
            [0, undefined],
            [null, undefined],
            [undefined, undefined],
        ]);
    });

    it("reads an in-use guard of 0 (off) to 365 days", () => {
        check(parseGuardDays, [
            ...SPELLINGS_OF_7,
            ...NOT_WHOLE_NUMBERS,
            [0, 0],
            ["0", 0],
            ["00", 0],
            [-0, -0],
            [365, 365],
            ["365", 365],
            ["0365", 365], // was rejected (more than 3 digits)
            [366, undefined],
            ["366", undefined],
            [-1, undefined],
            [null, undefined],
            [undefined, undefined],
        ]);
    });

    it("reads a purge timeout of 0 to 3600 seconds, unset being the default 300", () => {
        check(parsePurgeTimeoutSeconds, [
            ...SPELLINGS_OF_7,
            ...NOT_WHOLE_NUMBERS,
            [undefined, 300],
            [null, 300],
            [0, 0],
            ["0", 0],
            [3600, 3600],
            ["3600", 3600],
            ["03600", 3600],
            [3601, undefined],
            ["3601", undefined],
        ]);
    });

    it("reads --concurrency and --max-calls-per-second from 1 to 9999", () => {
        const concurrency = (v: unknown) => parseSweepArgs(["--stacks", "s", "--idle-for", "1h", `--concurrency=${String(v)}`]).concurrency;
        const calls = (v: unknown) =>
            parseSweepArgs(["--stacks", "s", "--idle-for", "1h", `--max-calls-per-second=${String(v)}`]).maxCallsPerSecond;
        for (const read of [concurrency, calls]) {
            // "was rejected": these flags alone took neither whitespace nor a leading zero.
            check(read, [
                ["1", 1],
                ["7", 7],
                [" 7", 7],
                ["07", 7],
                ["9999", 9999],
                ["09999", 9999],
            ]);
        }
        for (const [input] of [...NOT_WHOLE_NUMBERS.filter(([v]) => typeof v === "string"), ["0"], ["00"], ["10000"]] as Row[]) {
            assert.throws(
                () => concurrency(input),
                (e: Error) =>
                    e instanceof UsageError &&
                    e.message === `--concurrency is ${JSON.stringify(input)}, but it takes a whole number from 1`,
                describeValue(input),
            );
        }
        assert.equal(parseSweepArgs(["--stacks", "s", "--idle-for", "1h"]).concurrency, 2);
        assert.equal(parseSweepArgs(["--stacks", "s", "--idle-for", "1h"]).maxCallsPerSecond, 50);
    });

    it("reads --recovery-window with the recovery window's grammar", () => {
        const window = (v: string) => parseTeardownArgs(["--stack", "s", "--recovery-window", v]).deletion;
        assert.equal(window(" 7"), 7);
        assert.equal(window("0030"), 30); // was rejected (more than 3 digits)
        assert.throws(() => window("31"), /--recovery-window is "31", but AWS accepts only a whole number of days from 7 to 30/);
    });

    it("takes the range it is given", () => {
        assert.equal(parseWholeNumber("12", 10, 12), 12);
        assert.equal(parseWholeNumber("9", 10, 12), undefined);
        assert.equal(parseWholeNumber("9".repeat(400), 0, Number.MAX_SAFE_INTEGER), undefined);
    });
});

describe("durations (parseDuration)", () => {
    const rows: [string, number | undefined][] = [
        ["90s", 90_000],
        ["90m", 5_400_000],
        ["72h", 259_200_000],
        ["3d", 259_200_000],
        ["0s", 0],
        ["0m", 0],
        [" 72h ", 259_200_000],
        ["999999d", 999_999 * 86_400_000],
        ["15m", 900_000],
        ["900s", 900_000],
        ["0900s", 900_000],
        ["12h", 43_200_000],
        ["43200s", 43_200_000],
        // Several units, largest first: the @pulumi/aws form, which --idle-for rejected.
        ["1h30m", 5_400_000],
        ["1h30m15s", 5_415_000],
        ["1h0m0s", 3_600_000],
        ["1d12h", 129_600_000], // days: --idle-for's unit, which assumeRole.duration rejected
        ["3w", undefined],
        ["1.5h", undefined],
        ["h", undefined],
        ["", undefined],
        [" ", undefined],
        ["3 days", undefined],
        ["1 h", undefined],
        ["1H", undefined],
        ["30m1h", undefined],
        ["1h1h", undefined],
        ["-1h", undefined],
        ["+1h", undefined],
        ["300ms", undefined],
        ["90", undefined],
    ];
    for (const [input, expected] of rows) {
        it(`reads ${JSON.stringify(input)} as ${expected === undefined ? "no duration" : `${expected} ms`}`, () => {
            assert.equal(parseDuration(input), expected);
        });
    }

    it("--idle-for takes a duration a date can hold, and says what it takes otherwise", () => {
        const idle = (v: string) => parseSweepArgs(["--stacks", "s", "--idle-for", v]).idleForMs;
        assert.equal(idle("1h30m"), 5_400_000);
        for (const bad of ["3 days", "3w", "9".repeat(400) + "d"]) {
            assert.throws(
                () => idle(bad),
                (e: Error) =>
                    e instanceof UsageError &&
                    e.message === `--idle-for is ${JSON.stringify(bad)}; give a whole number and a unit: 90m, 72h, 3d`,
            );
        }
    });

    it("assumeRole.duration: a duration is range-checked in seconds; one outside the grammar is left to AWS's default", () => {
        const role = (duration: string) => {
            const problems: SettingProblem[] = [];
            const spec = parseAssumeRole("aws:assumeRoles[0]", { roleArn: "arn:aws:iam::123456789012:role/x", duration }, problems);
            return { seconds: spec?.durationSeconds, problems: problems.map((p) => p.reason) };
        };
        assert.deepEqual(role("1h30m"), { seconds: 5400, problems: [] });
        assert.deepEqual(role(" 1h "), { seconds: 3600, problems: [] }); // was ignored (whitespace)
        assert.deepEqual(role("1.5h"), { seconds: undefined, problems: [] });
        assert.deepEqual(role("10m"), {
            seconds: 600,
            problems: ["aws:assumeRoles[0].durationSeconds must be whole seconds from 900 to 43200, got 600"],
        });
        // Was ignored (no days then): a day is longer than AWS's longest session.
        assert.deepEqual(role("1d"), {
            seconds: 86400,
            problems: ["aws:assumeRoles[0].durationSeconds must be whole seconds from 900 to 43200, got 86400"],
        });
    });
});

describe("a value quoted back in a message (describeValue)", () => {
    it("quotes strings, cuts them at 80 characters, and prints anything else as JavaScript does", () => {
        assert.equal(describeValue("7 days"), '"7 days"');
        assert.equal(describeValue("x".repeat(80)), JSON.stringify("x".repeat(80)));
        assert.equal(describeValue("x".repeat(81)), JSON.stringify("x".repeat(80) + "…"));
        assert.equal(describeValue(7.5), "7.5");
        assert.equal(describeValue(true), "true");
        assert.equal(describeValue(null), "null");
        assert.equal(describeValue(undefined), "undefined");
        assert.equal(describeValue({}), "[object Object]");
    });

    it("a deletion setting's refusal quotes a long value cut, as every other refusal does (it was quoted whole)", () => {
        const { problems } = validateSettings({ recoveryWindowInDays: "7".repeat(200) }, "resource");
        assert.equal(
            problems[0]?.reason,
            `recoveryWindowInDays is ${JSON.stringify("7".repeat(80) + "…")}, but AWS accepts only a whole number of days from 7 to 30 — ` +
                "set the Secret's recoveryWindowInDays to a whole number of days from 7 to 30",
        );
    });
});
