"""A database password kept in AWS Secrets Manager; `pulumi destroy` deletes it as the stack's safesecret:* keys say."""

import pulumi
import pulumi_safesecret as safesecret

config = pulumi.Config()

db = safesecret.Secret(
    "db",
    name=f"{pulumi.get_stack()}/db",
    # A secret config value stays a secret: encrypted in state, never printed.
    secret_string=config.require_secret("dbPassword"),
    tags={"team": "platform"},
)

pulumi.export("dbArn", db.arn)
pulumi.export("onDestroy", db.deletion_policy.description)
