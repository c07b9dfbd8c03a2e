import { strict as assert } from "assert";
import { backoffDelay, pollUntil, PollTimeoutError } from "../../provider/lifecycle/wait";

function fakeClock() {
    let t = 0;
    const sleeps: number[] = [];
    return {
        now: () => t,
        sleep: async (ms: number) => {
            sleeps.push(ms);
            t += ms;
        },
        sleeps,
    };
}

describe("polling for AWS's eventual consistency", () => {
    it("returns the value as soon as the acceptor succeeds", async () => {
        const c = fakeClock();
        let n = 0;
        const v = await pollUntil(async () => (++n < 4 ? { state: "retry", reason: "not yet" } : { state: "success", value: "done" }), {
            minDelayMs: 100,
            maxDelayMs: 1000,
            timeoutMs: 60_000,
            sleep: c.sleep,
            now: c.now,
            random: () => 1,
        });
        assert.equal(v, "done");
        assert.deepEqual(c.sleeps, [100, 130, 169]);
    });

    it("grows delays by 1.3x up to the cap, jittered into [80%, 100%]", () => {
        const o = { minDelayMs: 200, maxDelayMs: 1000 };
        assert.equal(
            backoffDelay(1, o, () => 1),
            200,
        );
        assert.equal(
            backoffDelay(2, o, () => 1),
            260,
        );
        assert.equal(
            backoffDelay(10, o, () => 1),
            1000,
        );
        assert.equal(
            backoffDelay(10, o, () => 0),
            800,
        );
    });

    it("never sleeps past 40% of the time already waited, whatever the jitter (so a wait overshoots by < 1.4x)", () => {
        const o = { minDelayMs: 200, maxDelayMs: 5000 };
        for (const lo of [0, 1]) {
            let waited = 0;
            for (let n = 1; n <= 30; n++) {
                const d = backoffDelay(n, o, () => (n === 30 ? 1 - lo : lo));
                if (waited >= 2000) assert.ok(d <= 0.4 * waited, `attempt ${n}: ${d} ms after ${waited} ms`);
                waited += backoffDelay(n, o, () => lo);
            }
        }
    });

    it("stops with the last reason when the timeout passes, never sleeping past it", async () => {
        const c = fakeClock();
        await assert.rejects(
            pollUntil(async () => ({ state: "retry", reason: "name still purging" }), {
                minDelayMs: 100,
                maxDelayMs: 400,
                timeoutMs: 1000,
                sleep: c.sleep,
                now: c.now,
                random: () => 1,
            }),
            (e: unknown) => e instanceof PollTimeoutError && /name still purging/.test(e.message) && e.elapsedMs === 1000,
        );
    });

    it("fails at once on a failure answer", async () => {
        const c = fakeClock();
        await assert.rejects(
            pollUntil(async () => ({ state: "failure", error: new Error("recovery window") }), {
                minDelayMs: 1,
                maxDelayMs: 1,
                timeoutMs: 10,
                sleep: c.sleep,
                now: c.now,
            }),
            /recovery window/,
        );
        assert.deepEqual(c.sleeps, []);
    });

    it("reports progress before each wait", async () => {
        const c = fakeClock();
        const seen: string[] = [];
        let n = 0;
        await pollUntil(async () => (++n < 3 ? { state: "retry", reason: `try ${n}` } : { state: "success", value: 1 }), {
            minDelayMs: 10,
            maxDelayMs: 10,
            timeoutMs: 1000,
            sleep: c.sleep,
            now: c.now,
            onRetry: (r) => seen.push(r),
        });
        assert.deepEqual(seen, ["try 1", "try 2"]);
    });

    it("rejects inconsistent options with their values in the message", async () => {
        await assert.rejects(
            pollUntil(async () => ({ state: "success", value: 1 }), { minDelayMs: 0, maxDelayMs: 5, timeoutMs: 1 }),
            /minDelayMs=0, maxDelayMs=5/,
        );
    });
});
