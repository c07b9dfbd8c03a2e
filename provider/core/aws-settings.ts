// Where a secret's calls go and as whom: the stack's @pulumi/aws settings (aws:region, aws:profile,
// aws:assumeRoles, aws:endpoints), overridden per Secret by its region, profile and assumeRole inputs.
// Pure: parsing and validation only; aws/client.ts turns a target into a client.

import { parseDuration } from "./parse";
import { SettingProblem } from "./policy";
import { AssumeRoleSpec, StackSettings } from "./types";

export interface AwsTarget {
    region: string;
    profile?: string | undefined;
    /** Roles assumed in order, each with the credentials of the one before. */
    assumeRoles?: AssumeRoleSpec[] | undefined;
    /** Secrets Manager endpoint from aws:endpoints; else the SDK's AWS_ENDPOINT_URL_SECRETS_MANAGER or AWS's. */
    endpoint?: string | undefined;
    stsEndpoint?: string | undefined;
}

/** The stack's aws:* settings, parsed. */
export interface StackAws {
    region?: string | undefined;
    profile?: string | undefined;
    assumeRoles?: AssumeRoleSpec[] | undefined;
    endpoint?: string | undefined;
    stsEndpoint?: string | undefined;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/.+$/;

function parseJson(key: string, text: string | undefined, problems: SettingProblem[]): unknown {
    if (text === undefined) return undefined;
    try {
        return JSON.parse(text);
    } catch {
        problems.push({ key, reason: `${key} is not valid JSON — set it with \`pulumi config set --path\` as for @pulumi/aws` });
        return undefined;
    }
}

/** One assumed role as @pulumi/aws spells it (roleArn, externalId, sessionName, durationSeconds or duration). */
export function parseAssumeRole(key: string, v: unknown, problems: SettingProblem[]): AssumeRoleSpec | undefined {
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
        problems.push({ key, reason: `${key} must be an object like { roleArn: "arn:aws:iam::123456789012:role/deployer" }` });
        return undefined;
    }
    const role = v as Record<string, unknown>;
    if (typeof role.roleArn !== "string" || !ROLE_ARN.test(role.roleArn)) {
        problems.push({
            key: `${key}.roleArn`,
            reason: `${key}.roleArn ${JSON.stringify(role.roleArn)} is not an IAM role ARN — use arn:aws:iam::<account>:role/<name>`,
        });
        return undefined;
    }
    const duration = role.durationSeconds ?? (typeof role.duration === "string" ? durationSeconds(role.duration) : role.duration);
    if (duration !== undefined && (!Number.isInteger(duration) || (duration as number) < 900 || (duration as number) > 43200)) {
        problems.push({
            key: `${key}.durationSeconds`,
            reason: `${key}.durationSeconds must be whole seconds from 900 to 43200, got ${JSON.stringify(duration)}`,
        });
    }
    return {
        roleArn: role.roleArn,
        ...(typeof role.externalId === "string" ? { externalId: role.externalId } : {}),
        ...(typeof role.sessionName === "string" ? { sessionName: role.sessionName } : {}),
        ...(typeof duration === "number" ? { durationSeconds: duration } : {}),
    };
}

/**
 * assumeRole.duration in seconds ("1h30m" → 5400). One outside parse.ts's grammar is undefined, as it always was: the
 * role then takes AWS's default duration (@pulumi/aws reads Go's wider grammar, e.g. "1.5h").
 */
function durationSeconds(text: string): number | undefined {
    const ms = parseDuration(text);
    return ms === undefined ? undefined : ms / 1000;
}

/** Parses the stack's aws:* keys. A key that cannot be read is a problem, never silently ignored. */
export function parseStackAws(raw: StackSettings["aws"]): { aws: StackAws; problems: SettingProblem[] } {
    const problems: SettingProblem[] = [];
    const aws: StackAws = {};
    if (raw?.region) aws.region = raw.region;
    if (raw?.profile) aws.profile = raw.profile;
    const roles = parseJson("aws:assumeRoles", raw?.assumeRoles, problems);
    if (roles !== undefined) {
        if (!Array.isArray(roles)) problems.push({ key: "aws:assumeRoles", reason: "aws:assumeRoles must be a list of { roleArn, ... }" });
        else
            aws.assumeRoles = roles
                .map((r, i) => parseAssumeRole(`aws:assumeRoles[${i}]`, r, problems))
                .filter((r): r is AssumeRoleSpec => !!r);
    }
    const endpoints = parseJson("aws:endpoints", raw?.endpoints, problems);
    if (endpoints !== undefined) {
        const list = Array.isArray(endpoints) ? endpoints : [endpoints];
        for (const e of list) {
            if (typeof e !== "object" || e === null) continue;
            const m = e as Record<string, unknown>;
            if (typeof m.secretsmanager === "string" && m.secretsmanager) aws.endpoint = m.secretsmanager;
            if (typeof m.sts === "string" && m.sts) aws.stsEndpoint = m.sts;
        }
        for (const [k, v] of Object.entries({ secretsmanager: aws.endpoint, sts: aws.stsEndpoint })) {
            if (v !== undefined && !/^https?:\/\/[^\s]+$/.test(v)) {
                problems.push({ key: "aws:endpoints", reason: `aws:endpoints ${k} ${JSON.stringify(v)} is not an http(s) URL` });
            }
        }
    }
    return { aws, problems };
}

/** The target of one secret: its own region/profile/assumeRole over the stack's settings. */
export function targetOf(
    resource: { region: string; profile?: string | undefined; assumeRole?: AssumeRoleSpec | undefined },
    stack: StackAws,
): AwsTarget {
    return {
        region: resource.region,
        profile: resource.profile ?? stack.profile,
        assumeRoles: resource.assumeRole ? [resource.assumeRole] : stack.assumeRoles,
        endpoint: stack.endpoint,
        stsEndpoint: stack.stsEndpoint,
    };
}

/** The region an ARN names (undefined for a bare name): for secrets known only by id. */
export const regionOfArn = (id: string): string | undefined => /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):/.exec(id)?.[1];
