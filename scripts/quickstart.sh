#!/usr/bin/env bash
# Quick start: on a Debian machine with Java 17 and Maven, sets up what is missing, builds Tidemark
# and runs it against sample-repo/ on a local Docker swarm, in apply mode. The sample's secrets are
# SOPS-encrypted for the public demo key sample-repo/demo-age-key.txt, which Tidemark is given here.
#   scripts/quickstart.sh            # foreground; Ctrl-C stops Tidemark (the swarm keeps running)
# TIDEMARK_QUICKSTART_DIR (default data/quickstart) and TIDEMARK_QUICKSTART_PORT (default 8080)
# move its files and its port; QuickstartIT runs it this way.
# Then: curl localhost:8080/api/targets/platform/drift   and open http://localhost:8080/
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work="${TIDEMARK_QUICKSTART_DIR:-$root/data/quickstart}"
port="${TIDEMARK_QUICKSTART_PORT:-8080}"
mkdir -p "$work"

# 1. A Docker Engine in swarm mode: the one DOCKER_HOST names if it is a manager, else a private one.
if [ -n "${DOCKER_HOST:-}" ] && docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null | grep -q true; then
  echo "using the swarm at $DOCKER_HOST"
else
  eval "$(scripts/test-swarm.sh start)"
  echo "started a private swarm at $DOCKER_HOST (stop it with: scripts/test-swarm.sh stop)"
fi

# 2. The sample repository as a real Git repository that Tidemark fetches over file://.
repo="$work/sample-repo.git"
if [ ! -d "$repo" ]; then
  tmp=$(mktemp -d)
  cp -r sample-repo/. "$tmp/"
  rm -f "$tmp/demo-age-key.txt"   # a key never goes into the repository Tidemark fetches
  git -C "$tmp" init -q -b main
  git -C "$tmp" add -A
  git -C "$tmp" -c user.name=quickstart -c user.email=quickstart@localhost commit -qm "sample platform"
  git clone -q --bare "$tmp" "$repo"
  rm -rf "$tmp"
fi
echo "desired state: file://$repo (clone it, commit, push, and Tidemark follows)"

# 3. Build.
if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  mvn -B -ntp -q package -DskipTests
fi

# 4. Run, reconciling the Swarm variant of the sample platform in apply mode.
cat >"$work/application.properties" <<PROPS
quarkus.http.port=$port
tidemark.data-dir=$work/data
tidemark.git.url=file://$repo
tidemark.git.branch=main
tidemark.git.poll-interval=30s
tidemark.targets.platform.kind=swarm
tidemark.targets.platform.path=cluster/docker-swarm
tidemark.targets.platform.stack=platform
tidemark.targets.platform.mode=apply
tidemark.targets.platform.health-timeout=20s
tidemark.targets.platform.docker-host=$DOCKER_HOST
tidemark.api.token=quickstart-token
tidemark.sops.age-key-file=$root/sample-repo/demo-age-key.txt
PROPS
echo "API token for POST /api/targets/platform/sync: quickstart-token"
exec bin/tidemark -Dquarkus.config.locations="$work/application.properties"
