#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser tests (`make test`). Idempotent.
# Playwright never downloads a browser here (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1); it launches this one.
set -euo pipefail

CHROMIUM=${CS_CHROMIUM:-/usr/bin/chromium}

say() { echo "ensure-chromium: $*" >&2; }

[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  say "$CHROMIUM is missing: install Debian's chromium (sudo apt-get install chromium)"
  exit 1
fi
say "installing chromium (Debian's package)"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
[ -x "$CHROMIUM" ] || { say "chromium was installed but $CHROMIUM is not there"; exit 1; }
