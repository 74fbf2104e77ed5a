#!/usr/bin/env bash
# Make sure a Docker Engine answers, for `make dev` and `make test`. Idempotent.
#   DOCKER_HOST set      -> it must answer, nothing is started.
#   local socket answers -> use it.
#   otherwise            -> as root: install docker.io if dockerd is missing, then start
#                           dockerd (--iptables=false --ip-masq=false) in its own session.
# Also installs Debian's busybox-static when /bin/busybox is missing (test images use it).
# Needs only bash and python3 (no docker CLI, no curl).
set -euo pipefail

SOCKET=/var/run/docker.sock
DOCKERD_LOG=${DOCKERD_LOG:-/var/log/dockerd-containerstacks.log}
WAIT_SECONDS=30

say() { echo "ensure-docker: $*" >&2; }

is_root() { [ "$(id -u)" -eq 0 ]; }

apt_install() {
  is_root || { say "need root to install $*"; return 1; }
  if [ -z "${_APT_UPDATED:-}" ]; then
    apt-get update -qq
    _APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# engine_answers URL: true when GET /_ping answers OK (unix:// or tcp:// URLs).
engine_answers() {
  python3 - "$1" <<'PY'
import http.client, socket, sys
from urllib.parse import urlparse

url = urlparse(sys.argv[1])

class UnixConnection(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(url.path)

if url.scheme == "unix":
    connection = UnixConnection("localhost", timeout=3)
elif url.scheme in ("tcp", "http"):
    connection = http.client.HTTPConnection(url.hostname, url.port or 2375, timeout=3)
else:
    sys.exit(2)
try:
    connection.request("GET", "/_ping")
    response = connection.getresponse()
    sys.exit(0 if response.status == 200 and response.read().strip() == b"OK" else 1)
except OSError:
    sys.exit(1)
PY
}

ensure_busybox() {
  [ -x /bin/busybox ] && return 0
  say "installing busybox-static (test images are built FROM scratch with it)"
  apt_install busybox-static || { say "install busybox-static (apt-get install busybox-static)"; exit 1; }
}

check_docker_host() {
  local status=0
  engine_answers "$DOCKER_HOST" || status=$?
  case $status in
    0) say "Docker Engine at $DOCKER_HOST ok" ;;
    2) say "DOCKER_HOST=$DOCKER_HOST: cannot check this scheme here; assuming it answers" ;;
    *) say "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST"; exit 1 ;;
  esac
}

dockerd_running() {
  [ -f /var/run/docker.pid ] && kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null
}

start_dockerd() {
  if ! command -v dockerd >/dev/null; then
    is_root || {
      say "no Docker Engine: install docker.io (apt-get install docker.io, as root) and start it,"
      say "or set DOCKER_HOST to an engine that answers"
      exit 1
    }
    say "installing docker.io"
    apt_install docker.io
  fi
  if [ -S "$SOCKET" ] && [ ! -w "$SOCKET" ]; then
    say "no permission on $SOCKET: add your user to the 'docker' group, or set DOCKER_HOST"
    exit 1
  fi
  is_root || {
    say "dockerd is installed but not running, and starting it needs root:"
    say "run 'sudo dockerd --iptables=false --ip-masq=false &' or set DOCKER_HOST"
    exit 1
  }
  if dockerd_running; then
    say "dockerd is running but not answering yet; waiting"
  else
    say "starting dockerd (log: $DOCKERD_LOG)"
    # setsid: Ctrl-C in `make dev` must not reach the engine.
    setsid dockerd --iptables=false --ip-masq=false >>"$DOCKERD_LOG" 2>&1 </dev/null &
  fi
  for _ in $(seq "$WAIT_SECONDS"); do
    engine_answers "unix://$SOCKET" && { say "Docker Engine at unix://$SOCKET ok"; return 0; }
    sleep 1
  done
  say "dockerd did not answer within ${WAIT_SECONDS}s; see $DOCKERD_LOG"
  exit 1
}

main() {
  ensure_busybox
  if [ -n "${DOCKER_HOST:-}" ]; then
    check_docker_host
  elif engine_answers "unix://$SOCKET"; then
    say "Docker Engine at unix://$SOCKET ok"
  else
    start_dockerd
  fi
}

main "$@"
