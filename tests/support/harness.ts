// One moto_server and one AWS-behaviour layer for the whole mocha run (root hooks), reset before every test.

import * as fs from "fs";
import * as path from "path";
import { AwsLayer } from "./aws-layer";
import { Moto, startMoto } from "./moto";
import { USER_PROJECT } from "./user-project";

let moto: Moto | undefined;
let layer: AwsLayer | undefined;

export const TEST_ACCESS_KEY = "AKIATESTSAFESECRET01";
export const TEST_SECRET_KEY = "test-secret-key-do-not-leak-7f3a9c";

export function aws(): { moto: Moto; layer: AwsLayer } {
    if (!moto || !layer) throw new Error("the test harness has not started moto (root hooks not loaded?)");
    return { moto, layer };
}

function removeStaleStackDirs(dir: string): void {
    if (!fs.existsSync(dir)) return;
    for (const name of fs.readdirSync(dir)) {
        const pid = Number(/-(\d+)-\d+$/.exec(name)?.[1]);
        let alive = false;
        try {
            alive = pid > 0 && process.kill(pid, 0);
        } catch {
            alive = false;
        }
        if (!alive) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    }
}

export const mochaHooks = {
    async beforeAll(this: Mocha.Context) {
        this.timeout(60_000);
        // In a parallel run root hooks run once per file: one moto and one layer serve the whole worker process (SDK
        // clients the tests keep would otherwise point at a stopped one).
        if (moto && layer) return;
        // Engine tests keep each stack's files below the user project, in directories named after the test process;
        // remove those of processes that have ended (a benchmark may be running beside the tests).
        removeStaleStackDirs(path.join(USER_PROJECT, "stacks"));
        moto = await startMoto();
        layer = await new AwsLayer(moto.url).start();
        process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = layer.url;
        process.env.AWS_ACCESS_KEY_ID = TEST_ACCESS_KEY;
        process.env.AWS_SECRET_ACCESS_KEY = TEST_SECRET_KEY;
        process.env.AWS_REGION = "us-east-1";
        delete process.env.AWS_PROFILE;
    },
    async beforeEach() {
        await aws().moto.reset();
        aws().layer.reset();
    },
    async afterAll() {
        if (process.env.MOCHA_WORKER_ID !== undefined) return; // the worker's exit stops them (below)
        await layer?.close();
        await moto?.stop();
    },
};

// A parallel worker ends without a last afterAll of its own: its moto_server must not outlive it.
process.once("exit", () => moto?.kill());
