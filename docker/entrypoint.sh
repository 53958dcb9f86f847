#!/bin/sh
# Runs one Wangge process: intake | dispatcher | feed | cli <command> [args].
set -eu
app="${1:-}"
case "$app" in
  intake | dispatcher | feed | cli) shift ;;
  *)
    echo "usage: wangge intake | dispatcher | feed | cli <migrate|seed-demo|import ...>" >&2
    exit 2
    ;;
esac
exec node "/app/dist/apps/$app/src/main.js" "$@"
