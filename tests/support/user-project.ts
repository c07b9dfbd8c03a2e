// The package as users get it: `npm pack` of this repository, installed with npm into a separate Pulumi project
// outside the repository (so nothing resolves through the repository's own node_modules). Engine tests run their
// stacks in directories below that project and load the Automation API, @pulumi/pulumi and pulumi-safe-secret
// from its node_modules, exactly the copies the engine's provider process will load.

import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import Module from "module";
import * as os from "os";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "../..");

/** Where the user project lives; kept between runs so npm reinstalls only the freshly packed tarball. */
/**
 * The @pulumi/pulumi the user project installs: the repository's own by default; PULUMI_SAFE_SECRET_SDK sets another
 * (scripts/test.sh runs a compatibility subset with the lowest and the newest of the advertised peer range).
 */
export const SDK_VERSION: string | undefined = process.env.PULUMI_SAFE_SECRET_SDK || undefined;

export const USER_PROJECT =
    process.env.PULUMI_SAFE_SECRET_E2E_PROJECT ??
    path.join(os.tmpdir(), "pulumi-safe-secret-e2e", SDK_VERSION ? `project-sdk-${SDK_VERSION}` : "project");

export interface Installed {
    dir: string;
    Secret: typeof import("../../provider/index").Secret;
    pulumi: typeof import("@pulumi/pulumi");
    automation: typeof import("@pulumi/pulumi/automation");
    /** The installed package's version (package.json). */
    version: string;
    /** require() as a module of the user project. */
    require: NodeRequire;
}

let installed: Installed | undefined;

function npm(args: string[], cwd: string): string {
    return execFileSync("npm", args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

/**
 * Set once the user project holds the freshly packed package (scripts/test.sh installs it before mocha starts, so
 * that parallel workers do not each pack and install into one folder).
 */
const READY_ENV = "SAFE_SECRET_USER_PROJECT_READY";

/** The installed package, loaded from the user project; packs and installs it first unless that was done for this run. */
export function installedPackage(): Installed {
    if (installed) return installed;
    if (process.env[READY_ENV] !== USER_PROJECT) installUserProject();
    return loadInstalled();
}

/** Packs the repository (npm pack runs the build) and installs the tarball into the user project. */
export function installUserProject(): void {
    const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    // One folder per user project: the compatibility runs install theirs side by side with the main run's.
    const packDir = `${USER_PROJECT}-pack`;
    fs.rmSync(packDir, { recursive: true, force: true });
    fs.mkdirSync(packDir, { recursive: true });
    // scripts/toolchain.sh has just packed this tree (SAFE_SECRET_TARBALL); otherwise pack it here.
    const given = process.env.SAFE_SECRET_TARBALL;
    const packed = given
        ? path.join(packDir, path.basename(given))
        : path.join(packDir, npm(["pack", "--silent", "--pack-destination", packDir], ROOT).trim().split("\n").pop()!);
    if (given) fs.copyFileSync(given, packed);
    // A name per content, so npm sees a changed package even when the version is unchanged.
    const hash = createHash("sha256").update(fs.readFileSync(packed)).digest("hex").slice(0, 12);
    const tarball = packed.replace(/\.tgz$/, `-${hash}.tgz`);
    fs.renameSync(packed, tarball);

    fs.mkdirSync(USER_PROJECT, { recursive: true });
    const dev = rootPkg.devDependencies;
    fs.writeFileSync(
        path.join(USER_PROJECT, "package.json"),
        JSON.stringify(
            {
                name: "safe-secret-user-project",
                private: true,
                dependencies: {
                    "@pulumi/pulumi": SDK_VERSION ?? dev["@pulumi/pulumi"],
                    // Loaded by one test to show a program using @pulumi/aws still runs offline, and for the policy
                    // pack (an optional peer of the package): the compatibility runs test neither, and unpacking
                    // @pulumi/aws (the largest package here) is most of an install's time.
                    ...(SDK_VERSION ? {} : { "@pulumi/aws": dev["@pulumi/aws"], "@pulumi/policy": dev["@pulumi/policy"] }),
                    typescript: dev.typescript,
                    "ts-node": dev["ts-node"],
                    "@types/node": dev["@types/node"],
                },
            },
            null,
            2,
        ),
    );
    // What `pulumi new typescript` writes.
    fs.writeFileSync(
        path.join(USER_PROJECT, "tsconfig.json"),
        JSON.stringify(
            {
                compilerOptions: {
                    strict: true,
                    outDir: "bin",
                    target: "es2020",
                    module: "commonjs",
                    moduleResolution: "node",
                    sourceMap: true,
                    experimentalDecorators: true,
                    forceConsistentCasingInFileNames: true,
                },
            },
            null,
            2,
        ),
    );
    npm(["install", "--no-audit", "--no-fund", "--prefer-offline", "--no-save", tarball], USER_PROJECT);
}

function loadInstalled(): Installed {
    // The SDK keeps its runtime state in process globals, so a second copy loaded here (this repository's own) would
    // register resources through mismatched gRPC classes. Tests must not import provider/adapters/dynamic/secret.ts or @pulumi/pulumi.
    const ownCopy = Object.keys(require.cache).find((f) => f.startsWith(path.join(ROOT, "node_modules", "@pulumi", "pulumi") + path.sep));
    if (ownCopy)
        throw new Error(
            `this test process loaded the repository's own @pulumi/pulumi (${ownCopy}); import the installed package through tests/support/engine instead`,
        );
    // Resolved from inside the user project: from this file, Node would resolve "pulumi-safe-secret" to this
    // repository itself (a package may require its own name through its "exports").
    const req = Module.createRequire(path.join(USER_PROJECT, "index.js"));
    const pkgDir = path.join(USER_PROJECT, "node_modules", "pulumi-safe-secret");
    if (fs.lstatSync(pkgDir).isSymbolicLink()) throw new Error(`${pkgDir} is a symlink; the tests must run the installed copy`);
    const resolved = fs.realpathSync(req.resolve("pulumi-safe-secret"));
    if (!resolved.startsWith(fs.realpathSync(USER_PROJECT) + path.sep))
        throw new Error(`pulumi-safe-secret resolved to ${resolved}, outside the user project`);
    const sdk = JSON.parse(fs.readFileSync(req.resolve("@pulumi/pulumi/package.json"), "utf8")).version;
    if (SDK_VERSION && sdk !== SDK_VERSION) throw new Error(`the user project has @pulumi/pulumi ${sdk}, not ${SDK_VERSION}`);
    installed = {
        dir: USER_PROJECT,
        Secret: req("pulumi-safe-secret").Secret,
        pulumi: req("@pulumi/pulumi"),
        automation: req("@pulumi/pulumi/automation"),
        version: JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")).version,
        require: req,
    };
    // The engine starts the dynamic-provider plugin of an inline program in this process's working directory, and the
    // plugin loads @pulumi/pulumi and pulumi-safe-secret from there: make that the user project, as for a user.
    process.chdir(USER_PROJECT);
    return installed;
}

if (require.main === module) {
    // `ts-node tests/support/user-project.ts`: install, and print the line that tells later test processes so.
    installUserProject();
    process.stdout.write(`${READY_ENV}=${USER_PROJECT}\n`);
}
