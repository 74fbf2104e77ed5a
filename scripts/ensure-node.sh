#!/usr/bin/env bash
# The web app needs Node >= 20.19 and npm (Vite 7). Debian's own nodejs package is older, so this only checks.
set -euo pipefail

say() { echo "ensure-node: $*" >&2; }

command -v node >/dev/null && command -v npm >/dev/null || {
  say "Node.js >= 20.19 and npm are needed for the web app (web/): install them and retry"
  exit 1
}
node -e '
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`ensure-node: Node ${process.versions.node} is too old for the web app; >= 20.19 is needed`);
  process.exit(1);
}'
