#!/usr/bin/env bash
# Runs Tidemark's whole test suite against a private Docker Engine in swarm mode.
# Starts the engine (installing docker.io and busybox-static when absent) unless DOCKER_HOST already
# points at a swarm manager, runs `mvn verify`, and stops what it started.
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

# Tests create the local test image on demand too, but the engine must already be a swarm manager.
echo "tests use DOCKER_HOST=$DOCKER_HOST"
mvn -B -ntp verify "$@"
