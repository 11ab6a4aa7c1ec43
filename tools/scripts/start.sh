#!/usr/bin/env bash
# `npm start`: install what is missing, build the five apps, then run the local cluster
# (tools/local-cluster). Arguments pass through: `npm start -- --fresh`.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/scripts/ensure-deps.sh
echo "[stratus] building apps"
npx nx run-many -t build -p router broker metadata replication tiered-storage --output-style=static >/dev/null || \
  npx nx run-many -t build -p router broker metadata replication tiered-storage --output-style=static
SWC_NODE_PROJECT=tsconfig.base.json exec node -r @swc-node/register tools/local-cluster/src/main.ts "$@"
