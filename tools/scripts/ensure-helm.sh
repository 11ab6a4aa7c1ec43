#!/usr/bin/env bash
# Makes sure a pinned helm binary exists for the deploy project's chart tests, building it once
# from the Go module proxy (no other download host is reachable from CI) into a cache OUTSIDE the
# repository: ${XDG_CACHE_HOME:-~/.cache}/stratus/tools/helm-<version>/helm. Prints its path.
# The first build takes several minutes on a 2-core machine; later runs reuse the binary.
set -euo pipefail

HELM_VERSION="${STRATUS_HELM_VERSION:-v3.19.0}"
dir="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/stratus/tools/helm-${HELM_VERSION}"
bin="$dir/helm"

if [ -x "$bin" ] && "$bin" version --short >/dev/null 2>&1; then
  echo "$bin"
  exit 0
fi
# Go's tarball install lives in /usr/local/go/bin, which a non-login shell may not have on PATH.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="$PATH:/usr/local/go/bin"
fi
if ! command -v go >/dev/null 2>&1; then
  echo "[stratus] helm ${HELM_VERSION} is needed to render deploy/helm/stratus and Go is not installed;" >&2
  echo "          install Go 1.24+ (or put a helm binary at $bin)" >&2
  exit 1
fi
mkdir -p "$dir"
# One build at a time: Nx may start several targets that need helm.
exec 9>"$dir.lock"
flock 9
if [ ! -x "$bin" ]; then
  echo "[stratus] building helm ${HELM_VERSION} with go install (once; cached in $dir)" >&2
  start=$(date +%s)
  CGO_ENABLED=0 GOBIN="$dir" go install "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}" >&2
  echo "[stratus] helm built in $(( $(date +%s) - start )) s" >&2
fi
echo "$bin"
