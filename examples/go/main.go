// A database password kept in AWS Secrets Manager, and a copy for a service in Europe through an explicit provider;
// `pulumi destroy` deletes both as the stack's safesecret:* keys say.
package main

import (
	"github.com/pulumi-safe-secret/pulumi-safe-secret/sdk/go/safesecret"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		// A secret config value stays a secret: encrypted in state, never printed.
		password := cfg.RequireSecret("dbPassword")

		db, err := safesecret.NewSecret(ctx, "db", &safesecret.SecretArgs{
			Name:         pulumi.String(ctx.Stack() + "/db"),
			SecretString: password,
			Tags:         pulumi.StringMap{"team": pulumi.String("platform")},
		})
		if err != nil {
			return err
		}

		// Secrets that name this provider go to its region (and profile, if given) instead of the stack's; the
		// deletion keys stay the stack's safesecret:* keys.
		eu, err := safesecret.NewProvider(ctx, "eu", &safesecret.ProviderArgs{Region: pulumi.StringPtr("eu-west-1")})
		if err != nil {
			return err
		}
		euDb, err := safesecret.NewSecret(ctx, "db-eu", &safesecret.SecretArgs{
			Name:         pulumi.String(ctx.Stack() + "/db-eu"),
			SecretString: password,
			Tags:         pulumi.StringMap{"team": pulumi.String("platform")},
		}, pulumi.Provider(eu))
		if err != nil {
			return err
		}

		ctx.Export("dbArn", db.Arn)
		ctx.Export("euDbArn", euDb.Arn)
		ctx.Export("onDestroy", db.DeletionPolicy.Description())
		return nil
	})
}
