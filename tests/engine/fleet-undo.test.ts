// Undo of a teardown through the packed package's command: from the summary it wrote, and from the stack's own
// history when no summary was kept (past a destroy that failed once), with force-deleted secrets not recoverable (exit 1),
// and a removed stack's undo --stack sent to the summary.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { denyDeleteOnce, describeOrUndefined } from "../support/aws-fixtures";
import { programStack } from "../support/engine";
import { FLEET_PROGRAM as PROGRAM } from "../support/fleet-program";
import { summaryOf, teardownCommand } from "../support/teardown-command";

describe("undo of a teardown", function () {
    this.timeout(600_000);

    it("a 7-day teardown reports the deletion date AWS returned; undo restores what it scheduled, replicas included; pulumi up with adopt takes them back with the same ARNs", async () => {
        const s = await programStack("undo", PROGRAM, "undo");
        await s.stack.setConfig("replicated", { value: "true" });
        const up = await s.stack.up();
        const arns = up.outputs.arns!.value as string[];
        const file = path.join(s.workDir, "teardown.json");
        const t = await teardownCommand(s, ["teardown", "--stack", "undo", "--recovery-window", "7", "--summary-file", file]);
        assert.equal(t.code, 0, t.stdout + t.stderr);
        assert.ok((await describeOrUndefined(arns[0]!))!.DeletedDate);
        const line = t.stdout.split("\n").find((l) => l.startsWith("✓ fleet/undo/db"))!;
        assert.match(line, /scheduled — .*scheduled for deletion on (\S+) — recovery window of 7 days \(stack config\)/);
        const reported = new Date(/on (\S+) —/.exec(line)![1]!);
        // What AWS answers with: the deletion date, DeleteSecret's DeletionDate (moto: now + window).
        assert.ok(
            Math.abs(reported.getTime() - (Date.now() + 7 * 86_400_000)) < 3_600_000,
            `deletion date ${reported.toISOString()} is not 7 days ahead`,
        );
        assert.equal(summaryOf(t).stackRemoved, false, "removed without --remove-stack");
        assert.equal(await describeOrUndefined("fleet/undo/api", "eu-west-1"), undefined, "the replica was not removed by the teardown");

        const u = await teardownCommand(s, ["undo", "--from", file]);
        assert.equal(u.code, 0, u.stdout + u.stderr);
        assert.match(
            u.stdout,
            /^✓ fleet\/undo\/api \(us-east-1\): restored — restored \(RestoreSecret\); replicas re-created in eu-west-1$/m,
        );
        for (const arn of arns) assert.equal((await describeOrUndefined(arn))!.DeletedDate, undefined);
        assert.ok(await describeOrUndefined("fleet/undo/api", "eu-west-1"), "the replica was not re-created");

        await s.stack.setConfig("adopt", { value: "true" });
        const back = await s.stack.up();
        assert.deepEqual(back.outputs.arns!.value, arns, "the environment came back with other ARNs");
        assert.match(fs.readFileSync(file, "utf8"), /"outcome":"scheduled"/);
    });

    it("undo --stack (no summary kept) after a teardown that failed once and was run again restores what both destroys scheduled, replicas included", async () => {
        const s = await programStack("undoretry", PROGRAM, "undoretry");
        await s.stack.setConfig("replicated", { value: "true" });
        await s.stack.up();
        denyDeleteOnce("/api");
        const failed = await teardownCommand(s, ["teardown", "--stack", "undoretry", "--recovery-window", "7"]);
        assert.equal(failed.code, 1, failed.stdout + failed.stderr);
        const finished = await teardownCommand(s, ["teardown", "--stack", "undoretry", "--recovery-window", "7"]);
        assert.equal(finished.code, 0, finished.stdout + finished.stderr);
        const u = await teardownCommand(s, ["undo", "--stack", "undoretry"]);
        assert.equal(u.code, 0, u.stdout + u.stderr);
        for (const n of ["db", "api"]) {
            assert.match(u.stdout, new RegExp(`^✓ fleet/undoretry/${n} \\(us-east-1\\): restored — restored \\(RestoreSecret\\)`, "m"));
            assert.equal((await describeOrUndefined(`fleet/undoretry/${n}`))!.DeletedDate, undefined);
        }
        assert.match(
            u.stdout,
            /^✓ fleet\/undoretry\/api \(us-east-1\): restored — restored \(RestoreSecret\); replicas re-created in eu-west-1$/m,
        );
        assert.ok(await describeOrUndefined("fleet/undoretry/api", "eu-west-1"), "the replica was not re-created");
    });

    it("undo of a force delete exits 1 (not recoverable, from the summary and from the history); undo --stack of a stack never destroyed, or removed, says the summary is the way", async () => {
        const s = await programStack("undoforce", PROGRAM, "undoforce");
        await s.stack.up();
        const none = await teardownCommand(s, ["undo", "--stack", "undoforce"]);
        assert.equal(none.code, 1, none.stdout + none.stderr);
        assert.match(
            none.stderr,
            /stack undoforce has no destroy in its history .* if one did, undo from the summary the teardown wrote: undo --from <summary.json>/,
        );
        const file = path.join(s.workDir, "teardown.json");
        const t = await teardownCommand(s, ["teardown", "--stack", "undoforce", "--force-delete", "--summary-file", file]);
        assert.equal(t.code, 0, t.stdout + t.stderr);
        const history = await teardownCommand(s, ["undo", "--stack", "undoforce"]);
        assert.equal(history.code, 1, history.stdout + history.stderr);
        assert.match(history.stdout, /^✗ fleet\/undoforce\/db \(us-east-1\): not-recoverable — AWS no longer has it/m);
        const summary = await teardownCommand(s, ["undo", "--from", file]);
        assert.equal(summary.code, 1, summary.stdout + summary.stderr);
        assert.match(summary.stdout, /^✗ fleet\/undoforce\/db \(us-east-1\): not-recoverable — the teardown deleted it without recovery$/m);
        assert.match(summary.stdout, /^undo: failed — 2 of 2 secrets the teardown took away not restored \(2 not-recoverable\)/m);

        // What `teardown --remove-stack` does last (the file backend deletes the stack's history with it).
        await s.stack.workspace.removeStack("undoforce");
        const removed = await teardownCommand(s, ["undo", "--stack", "undoforce"]);
        assert.equal(removed.code, 64, removed.stdout + removed.stderr);
        assert.match(
            removed.stderr,
            /stack undoforce does not exist in this backend, and its history went with it .* undo from the summary the teardown wrote: undo --from <summary.json>/,
        );
        assert.doesNotMatch(removed.stdout + removed.stderr, /nothing to undo/);
    });
});
