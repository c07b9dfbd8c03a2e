// Writes the `config:` block of every Pulumi.yaml in this repository from the one table of stack keys
// (provider/core/stack-keys.ts). Run: npx ts-node --transpile-only scripts/sync-config-schema.ts
// tests/unit/stack-config.test.ts fails when a file and the table disagree.

import * as fs from "fs";
import * as path from "path";
import { STACK_KEYS } from "../provider/core/stack-keys";

export const ROOT = path.resolve(__dirname, "..");
export const PROJECT_FILES = [
    "Pulumi.yaml",
    "examples/production/Pulumi.yaml",
    "examples/ephemeral/Pulumi.yaml",
    "examples/replicated/Pulumi.yaml",
];

/** The `config:` block, as YAML text, that ends each project file. */
export function renderConfigBlock(): string {
    const lines = ["config:"];
    for (const k of STACK_KEYS) {
        lines.push(`  ${k.key}:`, `    type: ${k.type}`, `    default: ${k.default}`, `    description: ${JSON.stringify(k.description)}`);
    }
    return lines.join("\n") + "\n";
}

/** The file's text with its config block replaced (or added). */
export function withConfigBlock(text: string): string {
    const i = text.search(/^config:\s*$/m);
    return (i < 0 ? text.replace(/\n*$/, "\n") : text.slice(0, i)) + renderConfigBlock();
}

if (require.main === module) {
    for (const f of PROJECT_FILES) {
        const file = path.join(ROOT, f);
        fs.writeFileSync(file, withConfigBlock(fs.readFileSync(file, "utf8")));
        console.log(`wrote the config block of ${f}`);
    }
}
