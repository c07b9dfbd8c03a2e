#!/usr/bin/env bash
# The demo: `pulumi up` of the root project (three secrets, one replicated to two regions) against a local
# Secrets Manager (moto), judged by the package's policy pack, then the teardown a pipeline runs
# (`pulumi-safe-secret teardown`: works out the deletion policy, judges, destroys, removes the stack) with its
# per-secret lines and JSON summary.
#
#   bash scripts/demo.sh                        # teardown keeps a 7-day recovery window
#   bash scripts/demo.sh --force-delete         # ephemeral-style teardown: force delete, names free at once
#   bash scripts/demo.sh --recovery-window 14   # any 7–30
#
# Everything it starts (moto, the stack's state and config) is removed at the end.
set -euo pipefail

TEARDOWN_POLICY=(--recovery-window 7)
case "${1:-}" in
    "") ;;
    --force-delete) TEARDOWN_POLICY=(--force-delete) ;;
    --recovery-window) TEARDOWN_POLICY=(--recovery-window "${2:?--recovery-window needs a number of days (7-30)}") ;;
    *) echo "usage: bash scripts/demo.sh [--force-delete | --recovery-window DAYS]" >&2; exit 2 ;;
esac

source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$ROOT"

STACK="demo-$$"
WORK="$ROOT/.work/demo-$$"
mkdir -p "$WORK/state"
PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
"$MOTO_SERVER" -H 127.0.0.1 -p "$PORT" >"$WORK/moto.log" 2>&1 &
MOTO_PID=$!

cleanup() {
    set +e
    kill "$MOTO_PID" 2>/dev/null
    rm -f "$ROOT/Pulumi.$STACK.yaml"
    rm -rf "$WORK"
}
trap cleanup EXIT

for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$PORT/moto-api/data.json" >/dev/null && break
    sleep 0.1
done
curl -sf "http://127.0.0.1:$PORT/moto-api/data.json" >/dev/null || { cat "$WORK/moto.log" >&2; die "moto_server did not start"; }

# The embedded default: the local emulator, dummy credentials, local state.
export AWS_ENDPOINT_URL_SECRETS_MANAGER="http://127.0.0.1:$PORT"
export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo AWS_REGION=us-east-1
export PULUMI_BACKEND_URL="file://$WORK/state" PULUMI_HOME="$WORK/home" PULUMI_CONFIG_PASSPHRASE=demo

say "local Secrets Manager (moto) on 127.0.0.1:$PORT; stack $STACK with local state"
pulumi stack init "$STACK" --non-interactive >/dev/null
pulumi config set aws:region us-east-1

# The package as installed (scripts/toolchain.sh unpacks the packed tarball into node_modules).
PACKAGE="$ROOT/node_modules/pulumi-safe-secret"

say "pulumi up --policy-pack $PACKAGE/policy-pack"
pulumi up --yes --non-interactive --color never --policy-pack "$PACKAGE/policy-pack" 2>&1 | tee "$WORK/up.log"

say "pulumi-safe-secret teardown --stack $STACK ${TEARDOWN_POLICY[*]} --remove-stack   (what a pipeline runs when the environment goes away)"
set +e
node "$PACKAGE/dist/commands/cli.js" teardown --stack "$STACK" "${TEARDOWN_POLICY[@]}" --remove-stack \
    --policy-pack "$PACKAGE/policy-pack" --summary-file "$WORK/teardown-summary.json"
code=$?
set -e
[ "$code" -eq 0 ] || die "the teardown exited with $code"
