#!/usr/bin/env bash
# Installs what the two README commands need on a fresh machine: npm packages (when node_modules is
# missing or older than the lock file) and etcd (Debian's etcd-server, via apt-get when running as root).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[stratus] installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi

if ! command -v etcd >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "[stratus] installing etcd (apt-get install etcd-server)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null
    # Debian starts the packaged service; local clusters and tests run their own etcd processes.
    (systemctl stop etcd 2>/dev/null || service etcd stop 2>/dev/null || pkill -x etcd 2>/dev/null) || true
  else
    echo "[stratus] etcd is required but not installed. Install it with: sudo apt-get install etcd-server" >&2
    echo "          (or put an etcd 3.4+ binary on PATH)" >&2
    exit 1
  fi
fi

# kcat (librdkafka's command-line client): `npm start` prints a kcat example, and the end-to-end
# client tests run it. Optional for starting a cluster, so only a warning when it cannot be installed.
if ! command -v kcat >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "[stratus] installing kcat (apt-get install kcat)"
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat >/dev/null 2>&1 ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat >/dev/null; }; } || echo "[stratus] could not install kcat; the printed kcat example and its tests need it" >&2
  else
    echo "[stratus] kcat is not installed (sudo apt-get install kcat); the printed kcat example and its tests need it" >&2
  fi
fi
