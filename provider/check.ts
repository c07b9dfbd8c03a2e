// Check runs at preview before anything else: it rejects bad inputs and bad stack configuration (no AWS call
// is made for a rejected resource), resolves the name and region, and records the deletion policy in force.

import { randomBytes } from "crypto";
import { defaultRegion } from "./aws/client";
import { policyFor, policyOutput, ProviderContext } from "./context";
import { SettingProblem } from "./policy";
import { SecretInputs } from "./types";
import { UNKNOWN, validateInputs, validateRegion, validateStackSettings } from "./validate";

export interface CheckOutcome {
    inputs: Record<string, unknown>;
    failures: { property: string; reason: string }[];
}

/** Autonames like other Pulumi resources: the resource name and a random suffix, kept once chosen. */
export function resolveName(olds: Partial<SecretInputs>, news: Record<string, unknown>, random = () => randomBytes(4).toString("hex").slice(0, 7)): { name: unknown; autonamed: boolean } {
    if (news.name !== undefined) return { name: news.name, autonamed: false };
    if (olds.autonamed && olds.name && olds.resourceName === news.resourceName) return { name: olds.name, autonamed: true };
    return { name: `${news.resourceName ?? "secret"}-${random()}`, autonamed: true };
}

export async function checkSecret(olds: Partial<SecretInputs>, news: Record<string, unknown>, ctx: ProviderContext): Promise<CheckOutcome> {
    const problems: SettingProblem[] = [...validateStackSettings(ctx.stack)];
    let region = news.region as string | undefined;
    if (region === undefined) {
        region = await defaultRegion(ctx.stack.awsRegion);
        if (!region) {
            problems.push({
                key: "aws:region",
                reason: "no AWS region is set — run `pulumi config set aws:region us-east-1`, set AWS_REGION, or give the Secret a region",
            });
        }
    }
    problems.push(...validateRegion("region", region));
    problems.push(...validateInputs(news, region));

    const { name, autonamed } = resolveName(olds, news);
    const inputs: Record<string, unknown> = { ...news, name, autonamed, region };
    if (problems.length === 0 && news.recoveryWindowInDays !== UNKNOWN && news.forceDelete !== UNKNOWN) {
        inputs.deletionPolicy = policyOutput(policyFor(news, ctx.stack));
    }
    return {
        inputs,
        failures: problems.map((p) => ({ property: propertyOf(p.key), reason: p.reason })),
    };
}

/**
 * The input property a failure is attached to. The engine prints that property's value beside the reason, so
 * stack keys (not inputs) and secretString (whose value must never be printed) get none; the reason names them.
 */
export function propertyOf(key: string): string {
    if (key.includes(":") || key.startsWith("secretString")) return "";
    return key.split(/[.[]/)[0];
}
