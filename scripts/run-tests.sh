#!/usr/bin/env bash
# Runs Tidemark's whole test suite against a private Docker Engine in swarm mode.
# Starts the engine (installing docker.io and busybox-static when absent) unless DOCKER_HOST already
# points at a swarm manager, installs chromium and prometheus when absent (the web page and metrics
# tests run them), runs `mvn verify`, and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."

started=""
if [ -z "${DOCKER_HOST:-}" ] || ! docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null | grep -q true; then
  eval "$(scripts/test-swarm.sh start)"
  started=yes
fi
cleanup() {
  if [ -n "$started" ]; then
    scripts/test-swarm.sh stop
  fi
}
trap cleanup EXIT

# The web page test drives Debian's headless Chromium; the metrics tests start Debian's Prometheus
# as their own child process and use its promtool (the package's service is never used, and its
# recommended node exporter is not installed).
install_tools() {
  local pkgs=("$@")
  export DEBIAN_FRONTEND=noninteractive
  [ -n "${apt_updated:-}" ] || { apt-get update -qq; apt_updated=yes; }
  apt-get install -y -qq "${pkgs[@]}"
}
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium"
  install_tools chromium
fi
if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
  echo "installing prometheus"
  install_tools --no-install-recommends prometheus
fi

# The signed-commit tests sign with the real git, ssh-keygen and gpg.
if ! command -v git >/dev/null 2>&1; then
  echo "installing git"
  install_tools --no-install-recommends git
fi
if ! command -v ssh-keygen >/dev/null 2>&1; then
  echo "installing openssh-client"
  install_tools --no-install-recommends openssh-client
fi
if ! command -v gpg >/dev/null 2>&1 || ! command -v gpgconf >/dev/null 2>&1 \
    || ! command -v gpg-agent >/dev/null 2>&1; then
  echo "installing gnupg"
  install_tools --no-install-recommends gnupg
fi

# Tests create the local test image on demand too, but the engine must already be a swarm manager.
echo "tests use DOCKER_HOST=$DOCKER_HOST"
mvn -B -ntp verify "$@"
