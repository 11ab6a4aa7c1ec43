#!/usr/bin/env bash
# Builds deploy/tools/k8s-strict (strict decoding with the Kubernetes Go types, see main.go) once
# per source version into ${XDG_CACHE_HOME:-~/.cache}/stratus/tools/k8s-strict-<hash>/ and prints
# the binary's path. Modules come from the Go module proxy; the first build compiles client-go
# (shared with helm's build through the Go build cache).
set -euo pipefail
src="$(cd "$(dirname "$0")/../tools/k8s-strict" && pwd)"
hash=$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-16)
dir="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/stratus/tools/k8s-strict-${hash}"
bin="$dir/k8s-strict"
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
# Go's tarball install lives in /usr/local/go/bin, which a non-login shell may not have on PATH.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="$PATH:/usr/local/go/bin"
fi
if ! command -v go >/dev/null 2>&1; then
  echo "[stratus] Go is needed to build deploy/tools/k8s-strict (install Go 1.24+)" >&2
  exit 1
fi
mkdir -p "$dir"
exec 9>"$dir.lock"
flock 9
if [ ! -x "$bin" ]; then
  echo "[stratus] building k8s-strict (once; cached in $dir)" >&2
  (cd "$src" && CGO_ENABLED=0 go build -o "$bin.tmp" . && mv "$bin.tmp" "$bin") >&2
fi
echo "$bin"
