// Check runs at preview before anything else: it rejects bad inputs and bad stack configuration (no AWS call
// is made for a rejected resource), resolves the name and region, and records the deletion policy in force.

import { randomBytes } from "crypto";
import { defaultRegion } from "./aws/client";
import { checkDeletionSettings, policyOutput, SettingProblem } from "./policy";
import { SecretInputs, StackSettings } from "./types";
import { UNKNOWN, validateInputs, validateStackSettings } from "./validate";

export interface CheckOutcome {
    inputs: Record<string, unknown>;
    failures: { property: string; reason: string }[];
}

/**
 * Autonames like other Pulumi resources: the resource name and a random suffix, kept once chosen (also when the
 * resource is renamed with an alias). A preview cannot know the suffix `up` will draw, so it shows the name as unknown.
 */
export function resolveName(olds: Partial<SecretInputs>, news: Record<string, unknown>, random = () => randomBytes(4).toString("hex").slice(0, 7)): { name: unknown; autonamed: boolean } {
    if (news.name !== undefined) return { name: news.name, autonamed: false };
    if (olds.autonamed && olds.name) return { name: olds.name, autonamed: true };
    if (news.dryRun === true) return { name: UNKNOWN, autonamed: true };
    return { name: `${news.resourceName ?? "secret"}-${random()}`, autonamed: true };
}

export async function checkSecret(olds: Partial<SecretInputs>, news: Record<string, unknown>, stack: StackSettings): Promise<CheckOutcome> {
    const problems: SettingProblem[] = [...validateStackSettings(stack)];
    let region = news.region as string | undefined;
    if (region === undefined) {
        region = await defaultRegion(stack.aws?.region, (news.profile as string | undefined) ?? stack.aws?.profile);
        if (!region) {
            problems.push({
                key: "aws:region",
                reason: "no AWS region is set — run `pulumi config set aws:region us-east-1`, set AWS_REGION, or give the Secret a region",
            });
        }
    }
    problems.push(...validateInputs(news, region));

    const { name, autonamed } = resolveName(olds, news);
    const { dryRun: _, ...rest } = news;
    const inputs: Record<string, unknown> = { ...rest, name, autonamed, region };
    const settingsKnown = news.recoveryWindowInDays !== UNKNOWN && news.forceDelete !== UNKNOWN;
    const deletion = checkDeletionSettings(settingsKnown ? news : undefined, stack);
    problems.push(...deletion.problems);
    if (problems.length === 0 && deletion.policy) inputs.deletionPolicy = policyOutput(deletion.policy);
    return {
        inputs: withoutUndefined(inputs),
        failures: problems.map((p) => ({ property: propertyOf(p.key), reason: p.reason })),
    };
}

/** The engine's struct encoding rejects undefined values; an absent key says the same thing. */
export function withoutUndefined<T>(v: T): T {
    if (Array.isArray(v)) return v.map(withoutUndefined) as T;
    if (v === null || typeof v !== "object" || v instanceof Date) return v;
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, withoutUndefined(x)])) as T;
}

/**
 * The input property a failure is attached to. The engine prints that property's value beside the reason, so
 * stack keys (not inputs) and secretString (whose value must never be printed) get none; the reason names them.
 */
export function propertyOf(key: string): string {
    if (key.includes(":") || key.startsWith("secretString")) return "";
    return key.split(/[.[]/)[0];
}
