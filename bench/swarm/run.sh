#!/usr/bin/env bash
# Swarm benchmark: Tidemark against `docker stack deploy --resolve-image never` on the same engine.
# For generated stacks of 10, 50 and 200 services it times the first apply, a no-op reconcile and a
# one-service change (medians of RUNS runs), and counts service writes (Version.Index moves) on a
# no-op. Tidemark runs as the service it is (one JVM, warmed by the first apply), triggered through
# POST /api/targets/<name>/sync?wait; its time is the HTTP round trip measured by curl.
#   bench/swarm/run.sh [SIZES...]        e.g. bench/swarm/run.sh 10 50 200
# Writes bench/swarm/results.md; BENCHMARKS.md quotes it.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
SIZES=("${@:-10 50 200}")
[ $# -eq 0 ] && SIZES=(10 50 200)
RUNS=${RUNS:-5}
PORT=${PORT:-18080}
work=$(mktemp -d /tmp/tidemark-bench.XXXXXX)
out="$root/bench/swarm/results.md"

if [ -z "${DOCKER_HOST:-}" ] || ! docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null | grep -q true; then
  eval "$(scripts/test-swarm.sh start)"
fi
export DOCKER_HOST
[ -f target/quarkus-app/quarkus-run.jar ] || mvn -B -ntp -q package -DskipTests

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

# A stack of N services, replicas 0: both tools do the same control-plane work and neither waits
# for containers, so the figures compare the tools, not the machine's container start-up.
stack() {
  local n=$1 marker=$2
  echo "services:"
  for i in $(seq 1 "$n"); do
    cat <<YML
  svc$i:
    image: tidemark-test/busybox:1
    command: ["sleep", "3600"]
    environment:
      SERVICE_INDEX: "$i"
      MARKER: "$( [ "$i" -eq 1 ] && echo "$marker" || echo fixed )"
    labels:
      io.example/tier: bench
    deploy:
      replicas: 0
      labels:
        io.example/size: "$n"
YML
  done
}

versions() { # "name index" per service of a stack
  docker service ls -q --filter "label=com.docker.stack.namespace=$1" | xargs -r docker service inspect --format '{{.Spec.Name}} {{.Version.Index}}' | sort
}
written() { # how many services' versions differ between two versions() listings
  join "$1" "$2" | awk '$2 != $3 {n++} END {print n+0}'
}

cleanup() {
  [ -n "${tm_pid:-}" ] && kill "$tm_pid" 2>/dev/null || true
  for n in "${SIZES[@]}"; do
    docker stack rm "bcli$n" "btm$n" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# The desired-state repository Tidemark follows.
git init -q -b main "$work/repo"
git -C "$work/repo" config user.email bench@localhost
git -C "$work/repo" config user.name bench
git clone -q --bare "$work/repo" "$work/remote.git" 2>/dev/null || true
git -C "$work/repo" remote add origin "$work/remote.git"
commit() { git -C "$work/repo" add -A; git -C "$work/repo" commit -qm "$1"; git -C "$work/repo" push -q origin main; }

props="$work/application.properties"
{
  echo "tidemark.data-dir=$work/data"
  echo "tidemark.git.url=file://$work/remote.git"
  echo "tidemark.git.poll-interval=1h"
  echo "tidemark.api.token=bench"
  echo "quarkus.http.port=$PORT"
  echo "quarkus.log.level=WARN"
  for n in "${SIZES[@]}"; do
    echo "tidemark.targets.b$n.kind=swarm"
    echo "tidemark.targets.b$n.path=s$n"
    echo "tidemark.targets.b$n.stack=btm$n"
    echo "tidemark.targets.b$n.mode=apply"
  done
} >"$props"
for n in "${SIZES[@]}"; do
  mkdir -p "$work/repo/s$n" "$work/cli$n"
  stack "$n" m0 >"$work/repo/s$n/docker-stack.yml"
done
commit "initial"

java -Dquarkus.config.locations="$props" -jar target/quarkus-app/quarkus-run.jar >"$work/tidemark.log" 2>&1 &
tm_pid=$!
for _ in $(seq 1 120); do curl -sf "localhost:$PORT/q/health/live" >/dev/null && break; sleep 0.5; done
# Tidemark reconciles every target once at start; let those runs finish, then remove what they
# created, so that "first apply" below really creates every service.
for _ in $(seq 1 600); do
  pending=$(curl -sf "localhost:$PORT/api/targets" | python3 -c 'import json,sys; print(sum(1 for t in json.load(sys.stdin) if not t["lastRunId"] or t["running"]))')
  [ "$pending" = 0 ] && break
  sleep 0.5
done
for n in "${SIZES[@]}"; do docker stack rm "btm$n" >/dev/null 2>&1 || true; done
while [ -n "$(docker service ls -q --filter label=io.example/size)" ]; do sleep 0.5; done

sync_ms() { # POST sync and wait; prints the round trip in ms
  local t0 t1
  t0=$(now_ms)
  curl -sf -XPOST -H 'Authorization: Bearer bench' "localhost:$PORT/api/targets/$1/sync?wait=600" >"$work/last.json"
  t1=$(now_ms)
  echo $((t1 - t0))
}
deploy_ms() {
  local t0 t1
  t0=$(now_ms)
  docker stack deploy --resolve-image never -c "$2" "$1" >/dev/null 2>&1
  t1=$(now_ms)
  echo $((t1 - t0))
}

{
  echo "| services | step | docker stack deploy (ms) | Tidemark (ms) | ratio | service writes: CLI / Tidemark |"
  echo "|---:|---|---:|---:|---:|---|"
} >"$out.tmp"

for n in "${SIZES[@]}"; do
  cli_file="$work/cli$n/docker-stack.yml"
  stack "$n" m0 >"$cli_file"
  first_cli=$(deploy_ms "bcli$n" "$cli_file")
  first_tm=$(sync_ms "b$n")

  noop_cli=(); noop_tm=()
  versions "bcli$n" >"$work/v-cli"; versions "btm$n" >"$work/v-tm"
  for _ in $(seq 1 "$RUNS"); do
    noop_cli+=("$(deploy_ms "bcli$n" "$cli_file")")
    noop_tm+=("$(sync_ms "b$n")")
  done
  versions "bcli$n" >"$work/v-cli2"; versions "btm$n" >"$work/v-tm2"
  writes_cli=$(written "$work/v-cli" "$work/v-cli2")
  writes_tm=$(written "$work/v-tm" "$work/v-tm2")

  change_cli=(); change_tm=()
  for r in $(seq 1 "$RUNS"); do
    stack "$n" "m$r" >"$cli_file"
    change_cli+=("$(deploy_ms "bcli$n" "$cli_file")")
    stack "$n" "m$r" >"$work/repo/s$n/docker-stack.yml"
    commit "change $n $r"
    change_tm+=("$(sync_ms "b$n")")
  done

  m_noop_cli=$(printf '%s\n' "${noop_cli[@]}" | median); m_noop_tm=$(printf '%s\n' "${noop_tm[@]}" | median)
  m_change_cli=$(printf '%s\n' "${change_cli[@]}" | median); m_change_tm=$(printf '%s\n' "${change_tm[@]}" | median)
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) b = 1; printf "%.1fx", a / b }'; }
  {
    echo "| $n | first apply | $first_cli | $first_tm | $(ratio "$first_cli" "$first_tm") | |"
    echo "| $n | no-op (median of $RUNS) | $m_noop_cli | $m_noop_tm | $(ratio "$m_noop_cli" "$m_noop_tm") | $writes_cli / $writes_tm of $n services updated |"
    echo "| $n | one service changed (median of $RUNS) | $m_change_cli | $m_change_tm | $(ratio "$m_change_cli" "$m_change_tm") | |"
  } >>"$out.tmp"
  docker stack rm "bcli$n" "btm$n" >/dev/null 2>&1 || true
done

{
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, Docker Engine $(docker version --format '{{.Server.Version}}'), CLI $(docker version --format '{{.Client.Version}}')."
  echo
  cat "$out.tmp"
} >"$out"
rm -f "$out.tmp"
cat "$out"
