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

export const mochaHooks = {
    async beforeAll(this: Mocha.Context) {
        this.timeout(60_000);
        // Engine tests keep each stack's files below the user project; start every run from nothing.
        fs.rmSync(path.join(USER_PROJECT, "stacks"), { recursive: true, force: true });
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
        await layer?.close();
        await moto?.stop();
    },
};
