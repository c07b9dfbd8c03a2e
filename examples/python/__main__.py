"""A database password kept in AWS Secrets Manager; `pulumi destroy` deletes it as the stack's safesecret:* keys say."""

import pulumi
import pulumi_safesecret as safesecret

config = pulumi.Config()
# Optional: a copy of the secret in a second region (`pulumi config set replicaRegion eu-west-1`).
replica_region = config.get("replicaRegion")

db = safesecret.Secret(
    "db",
    name=f"{pulumi.get_stack()}/db",
    # A secret config value stays a secret: encrypted in state, never printed.
    secret_string=config.require_secret("dbPassword"),
    replicas=[safesecret.ReplicaArgs(region=replica_region)] if replica_region else None,
    tags={"team": "platform"},
)

# A value no program needs to know: AWS generates it at create; it is never in the program or the state.
# Change `generation` to rotate it.
signing_key = safesecret.Secret(
    "signing-key",
    name=f"{pulumi.get_stack()}/signing-key",
    generate_secret_string=safesecret.GenerateSecretStringArgs(password_length=48, exclude_punctuation=True),
    generation="1",
)

pulumi.export("dbArn", db.arn)
pulumi.export("onDestroy", db.deletion_policy.description)
