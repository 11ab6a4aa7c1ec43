#!/usr/bin/env bash
# `npm test`: every project's lint, typecheck, unit and integration tests through Nx, then the slower
# suites that have their own targets (client compatibility suite, fault/chaos tests, benchmark smoke),
# then one closing summary line over all Jest runs.
set -uo pipefail
cd "$(dirname "$0")/../.."
bash tools/scripts/ensure-deps.sh || exit 1

rm -rf test-results/jest
status=0
run() {
  echo "[stratus] nx $*"
  npx nx "$@" --output-style=stream || status=1
}
run run-many -t build
run run-many -t lint typecheck test
run run-many -t integration --parallel=1
# The client compatibility suite for the core clients (Node.js and Java, no extra installs); the full
# eight-client matrix, `npx nx run compat:compat`, runs on demand and regenerates
# docs/compatibility.md (its ~20 minutes on this 2-core machine would double CI time).
run run compat:compat --clients "${STRATUS_CI_COMPAT_CLIENTS:-kafkajs,java-4,platformatic}"
run run-many -t chaos bench-smoke --parallel=1

node tools/scripts/test-summary.mjs || status=1
exit $status
