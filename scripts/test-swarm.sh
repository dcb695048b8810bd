#!/usr/bin/env bash
# Starts (or stops) a private Docker Engine in swarm mode for Tidemark's tests and quick start.
#   scripts/test-swarm.sh start   -> prints `export DOCKER_HOST=...` once the swarm is ready
#   scripts/test-swarm.sh stop    -> stops the engine it started, by pid
# The engine lives under its own socket, data root and exec root, so it never touches a
# Docker Engine the machine may already run. It installs docker.io and busybox-static when absent.
set -euo pipefail

RUN_DIR=${TIDEMARK_ENGINE_RUN_DIR:-/run/tidemark-test}
DATA_ROOT=${TIDEMARK_ENGINE_DATA_ROOT:-/var/lib/tidemark-test/docker}
SOCK="$RUN_DIR/docker.sock"
PIDFILE="$RUN_DIR/dockerd.pid"
HOST="unix://$SOCK"
IMAGE=tidemark-test/busybox:1

log() { printf 'test-swarm: %s\n' "$*" >&2; }

install_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  [ -x /bin/busybox ] || missing+=(busybox-static)
  command -v docker >/dev/null 2>&1 || missing+=(docker.io)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "${missing[@]}" >&2
  fi
}

engine_up() { DOCKER_HOST=$HOST docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

start_engine() {
  mkdir -p "$RUN_DIR" "$DATA_ROOT"
  if engine_up; then
    log "engine already running on $HOST"
    return
  fi
  log "starting dockerd on $HOST"
  # A pid file left by a killed engine stops dockerd from starting.
  rm -f "$PIDFILE"
  nohup dockerd --host "$HOST" --data-root "$DATA_ROOT" --exec-root "$RUN_DIR/exec" \
    --pidfile "$PIDFILE" >"$RUN_DIR/dockerd.log" 2>&1 &
  for _ in $(seq 1 120); do
    engine_up && return
    sleep 0.5
  done
  log "dockerd did not come up; its log:"
  tail -n 40 "$RUN_DIR/dockerd.log" >&2
  exit 1
}

init_swarm() {
  local state
  state=$(DOCKER_HOST=$HOST docker info --format '{{.Swarm.LocalNodeState}}')
  if [ "$state" != "active" ]; then
    log "initialising swarm"
    DOCKER_HOST=$HOST docker swarm init --advertise-addr 127.0.0.1 >/dev/null
  fi
}

import_image() {
  if DOCKER_HOST=$HOST docker image inspect "$IMAGE" >/dev/null 2>&1; then
    return
  fi
  log "importing $IMAGE from busybox-static"
  local root
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/www"
  cp /bin/busybox "$root/bin/busybox"
  for applet in sh sleep httpd echo cat true false wget env ls; do
    ln -s busybox "$root/bin/$applet"
  done
  echo ok >"$root/www/index.html"
  tar -C "$root" -c . | DOCKER_HOST=$HOST docker import \
    --change 'CMD ["sleep","3600"]' - "$IMAGE" >/dev/null
  rm -rf "$root"
}

stop_engine() {
  if [ -f "$PIDFILE" ]; then
    local pid
    pid=$(cat "$PIDFILE")
    log "stopping dockerd (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$PIDFILE"
  fi
}

case "${1:-start}" in
  start)
    install_packages
    start_engine
    init_swarm
    import_image
    echo "export DOCKER_HOST=$HOST"
    ;;
  stop) stop_engine ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
