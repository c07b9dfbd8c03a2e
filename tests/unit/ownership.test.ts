import { strict as assert } from "assert";
import { classifyNameHolder, HELD_NAME_BOUND_MS } from "../../provider/lifecycle/create";
import { autonameCandidate, chooseAutoname, createToken, NameStatus, ownedBy, OWNER_TAG } from "../../provider/core/ownership";

const DAY = 86_400_000;

describe("create tokens and autonames", () => {
    it("are the same in every process for one resource, and differ by owner, name and region", () => {
        const t = createToken("org/p/s::db", "db", "us-east-1");
        assert.match(t, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.equal(createToken("org/p/s::db", "db", "us-east-1"), t);
        assert.notEqual(createToken("org/p/other::db", "db", "us-east-1"), t);
        assert.notEqual(createToken("org/p/s::db", "db2", "us-east-1"), t, "a rename (replacement) must not match the secret it replaces");
        assert.notEqual(
            createToken("org/p/s::db", "db", "eu-west-1"),
            t,
            "a region move (replacement) must not match the secret it replaces",
        );
        assert.match(autonameCandidate("db", "org/p/s::db", "us-east-1", 0), /^db-[0-9a-f]{7}$/);
        assert.notEqual(autonameCandidate("db", "org/p/s::db", "us-east-1", 0), autonameCandidate("db", "org/p/s::db", "us-east-1", 1));
    });

    it("a secret is ours only when live and carrying our token", () => {
        const tag = (v: string) => ({ Tags: [{ Key: OWNER_TAG, Value: v }] });
        assert.equal(ownedBy(undefined, "t"), "free");
        assert.equal(ownedBy(tag("t"), "t"), "ours");
        assert.equal(ownedBy({ VersionIdsToStages: { t: ["AWSCURRENT"] } }, "t"), "ours");
        assert.equal(ownedBy(tag("other"), "t"), "taken");
        assert.equal(ownedBy({ ...tag("t"), DeletedDate: new Date() }, "t"), "taken", "a scheduled predecessor is not taken over");
    });

    it("chooseAutoname takes the first candidate that is free or ours", async () => {
        const seen: string[] = [];
        const answers: NameStatus[] = ["taken", "taken", "ours"];
        const name = await chooseAutoname("db", "o", "r", async (n) => (seen.push(n), answers[seen.length - 1]));
        assert.equal(name, autonameCandidate("db", "o", "r", 2));
        assert.equal(await chooseAutoname("db", "o", "r", async () => "taken"), undefined);
    });
});

describe("a held name: purge or recovery window", () => {
    const now = Date.parse("2026-12-01T12:00:00Z");
    const held = (deleted: number) => ({ $metadata: {}, ARN: "arn", DeletedDate: new Date(deleted) });

    it("a scheduled date days ahead is a window at once", () => {
        assert.equal(classifyNameHolder(held(now + 7 * DAY), ["t"], now).kind, "recovery-window");
    });

    it("a request time long past is a window at once", () => {
        assert.equal(classifyNameHolder(held(now - 3 * 3_600_000), ["t"], now).kind, "recovery-window");
    });

    it("a date about now is a purge until the same holder has stayed for the bound, then a window", () => {
        assert.equal(classifyNameHolder(held(now - 1000), ["t"], now, now - 5000).kind, "purging");
        const r = classifyNameHolder(held(now - 1000), ["t"], now, now - HELD_NAME_BOUND_MS);
        assert.equal(r.kind, "recovery-window");
        assert.equal(r.kind === "recovery-window" && r.heldForMs, HELD_NAME_BOUND_MS);
    });

    it("a name AWS no longer finds is being purged", () => {
        assert.equal(classifyNameHolder(undefined, ["t"], now).kind, "purging");
    });
});
