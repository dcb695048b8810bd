#!/usr/bin/env bash
# Builds Tidemark's JVM image on the Docker Engine that DOCKER_HOST names (the local one if unset).
#   scripts/build-image.sh [TAG]          TAG defaults to tidemark/tidemark:0.1.0
# Environment:
#   TIDEMARK_BASE_IMAGE    the base (default eclipse-temurin:17-jre, see Dockerfile.jvm)
#   TIDEMARK_OFFLINE_BASE  the name of the base made offline (default tidemark/jre17-bookworm:1)
#   TIDEMARK_DEBIAN_MIRROR Debian mirror for the offline base (default: the first of apt's sources)
#   TIDEMARK_BASE_CACHE    where the offline base's tarball is kept (default /var/cache/tidemark)
# The application is packaged first when target/quarkus-app is missing. When the base can be
# neither found on the engine nor pulled (a machine without registry access), an equivalent base is
# made from Debian's packages: debootstrap of bookworm with openjdk-17-jre-headless, imported with
# `docker import`. It is cached twice: as an image on the engine (a second build takes seconds) and
# as a tarball (a new engine imports it without running debootstrap again).
set -euo pipefail
cd "$(dirname "$0")/.."

tag=${1:-tidemark/tidemark:0.1.0}
base=${TIDEMARK_BASE_IMAGE:-eclipse-temurin:17-jre}
offline=${TIDEMARK_OFFLINE_BASE:-tidemark/jre17-bookworm:1}
cache=${TIDEMARK_BASE_CACHE:-/var/cache/tidemark}

log() { printf 'build-image: %s\n' "$*" >&2; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

debian_mirror() {
  if [ -n "${TIDEMARK_DEBIAN_MIRROR:-}" ]; then
    echo "$TIDEMARK_DEBIAN_MIRROR"
    return
  fi
  local uri
  uri=$(grep -hoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list.d/*.sources \
    /etc/apt/sources.list 2>/dev/null | head -n 1 | grep -oE 'https?://[^ ]+' || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

make_offline_base() {
  local tarball="$cache/$(echo "$offline" | tr '/:' '__').tar"
  if [ ! -s "$tarball" ]; then
    command -v debootstrap >/dev/null 2>&1 || {
      log "installing debootstrap"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    }
    local root
    root=$(mktemp -d /tmp/tidemark-base.XXXXXX)
    trap 'rm -rf "$root"' RETURN
    log "debootstrap bookworm with openjdk-17-jre-headless from $(debian_mirror) (a few minutes, once)"
    debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
      bookworm "$root" "$(debian_mirror)" >"$root.log" 2>&1 || {
      tail -n 30 "$root.log" >&2
      exit 1
    }
    rm -f "$root.log"
    # What a runtime image does not need: package caches, lists, documentation.
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
      "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/*
    mkdir -p "$cache"
    tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  fi
  log "importing $tarball as $offline"
  docker import \
    -c 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
    -c 'ENV LANG=C.UTF-8' \
    -c 'CMD ["/bin/bash"]' \
    "$tarball" "$offline" >/dev/null
}

if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  log "packaging the application"
  mvn -B -ntp -q package -DskipTests -Dspotless.check.skip=true
fi

if have_image "$base"; then
  :
elif timeout 60 docker pull "$base" >/dev/null 2>&1; then
  log "pulled $base"
else
  log "$base cannot be pulled here; using the offline base $offline"
  base=$offline
  have_image "$base" || make_offline_base
fi

log "building $tag on $base"
docker build -q -f src/main/docker/Dockerfile.jvm --build-arg "BASE=$base" -t "$tag" . >/dev/null
log "built $tag"
echo "$tag"
