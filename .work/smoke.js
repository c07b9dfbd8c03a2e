const { LocalWorkspace } = require("@pulumi/pulumi/automation");
const path = require("path");
async function main() {
  const workDir = path.resolve(__dirname, "smoke");
  const program = async () => {
    const { Secret } = require("pulumi-safe-secret");
    const s = new Secret("db", { name: "smoke-db", secretString: "hunter2-value" });
    return { arn: s.arn, policy: s.deletionPolicy };
  };
  const stack = await LocalWorkspace.createOrSelectStack({ stackName: "dev", projectName: "smoke", program }, {
    workDir,
    projectSettings: { name: "smoke", runtime: "nodejs", backend: { url: "file://" + workDir + "/state" } },
    envVars: { PULUMI_CONFIG_PASSPHRASE: "x", PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      AWS_ENDPOINT_URL_SECRETS_MANAGER: "http://127.0.0.1:5055", AWS_ACCESS_KEY_ID: "AKIDTEST", AWS_SECRET_ACCESS_KEY: "topsecretcred", AWS_REGION: "us-east-1", PULUMI_HOME: workDir + "/home" },
  });
  await stack.setConfig("aws:region", { value: "us-east-1" });
  const up = await stack.up({ onOutput: (s) => process.stdout.write(s) });
  console.log("OUTPUTS", JSON.stringify(up.outputs));
  await stack.setConfig("forceDelete", { value: "true" });
  const d = await stack.destroy({ onOutput: (s) => process.stdout.write(s) });
  console.log(d.summary.result);
}
main().catch(e => { console.error("FAILED", e); process.exit(1); });
