#!/bin/sh
# Runs one Wangge process: intake | dispatcher | feed | cli <command> [args].
set -eu
app="${1:-}"
case "$app" in
  intake | dispatcher | feed | cli) shift ;;
  *)
    echo "usage: wangge intake | dispatcher | feed | cli <setup|migrate|import|seed-demo ...>" >&2
    exit 2
    ;;
esac
# Node flags per process, as in apps/cli/src/commands/start/launcher.ts (NODE_ARGS).
flags=
[ "$app" = intake ] && flags="--max-semi-space-size=32 --max-old-space-size=384"
# shellcheck disable=SC2086
exec node $flags "/app/dist/apps/$app/src/main.js" "$@"
