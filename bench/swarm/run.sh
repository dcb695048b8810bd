#!/usr/bin/env bash
# Swarm benchmark: Tidemark against the docker CLI on the same engine, interleaved in one run (the
# machine is shared with other busy builds, so both tools see the same load). For generated stacks
# of 10, 50 and 200 services it times, as medians of RUNS runs:
#   - first apply (every service created), against `docker stack deploy --resolve-image never`;
#   - a no-op reconcile, with the services each tool rewrote (Version.Index moves);
#   - a one-service change, against the CLI detached (returns once written) and with
#     `--detach=false` (returns once the engine has converged the services it updated).
# Tidemark runs as the service it is (bin/tidemark with its shipped JVM defaults; TIDEMARK_HOME
# names another build, JAVA_OPTS adds flags; one JVM, warmed by a first round), triggered through
# POST /api/targets/<name>/sync?wait; its time is the HTTP round trip measured by curl, and covers
# fetch, render, snapshot, plan, writes, the convergence check (as `--detach=false`: every task of
# the new spec running for the monitor period, or the engine's update completed) and the stored report.
#   bench/swarm/run.sh [SIZES...]        default: 10 50 200 1r
# Writes bench/swarm/results.md; BENCHMARKS.md quotes it.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
SIZES=("${@:-10 50 200}")
[ $# -eq 0 ] && SIZES=(10 50 200 1r)
RUNS=${RUNS:-3}
# `docker stack deploy --detach=false` waits for every service it updated, one after the other, each
# at least its 5 s stability monitor: it rewrites all N, so a change costs about N x 5.4 s. It is
# run at sizes up to WAIT_MAX only (10 services: about a minute per run).
WAIT_MAX=${WAIT_MAX:-10}
P=${STACK_PREFIX:-b}
PORT=${PORT:-18080}
work=$(mktemp -d /tmp/tidemark-bench.XXXXXX)
out="$root/bench/swarm/results.md"
rm -f "$out.raw"

if [ -z "${DOCKER_HOST:-}" ] || ! docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null | grep -q true; then
  eval "$(scripts/test-swarm.sh start)"
fi
export DOCKER_HOST
[ -n "${TIDEMARK_HOME:-}" ] || [ -f target/quarkus-app/quarkus-run.jar ] || mvn -B -ntp -q package -DskipTests

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

# A stack of N services, replicas 0: both tools do the same control-plane work and neither waits
# for containers, so the figures compare the tools, not the machine's container start-up.
# A size written "1r" is one service with one running task instead: the change then starts a real
# rolling update, which Tidemark follows until its new task has run for the monitor period (5 s), as
# the CLI with --detach=false does, or the engine reports the update completed.
stack() {
  local n=${1%r} marker=$2 replicas=0
  [[ $1 == *r ]] && replicas=1
  echo "services:"
  for i in $(seq 1 "$n"); do
    cat <<YML
  svc$i:
    image: tidemark-test/busybox:1
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    environment:
      SERVICE_INDEX: "$i"
      MARKER: "$( [ "$i" -eq 1 ] && echo "$marker" || echo fixed )"
    labels:
      io.example/tier: bench
    deploy:
      replicas: $replicas
      labels:
        io.example/size: "$1"
YML
  done
}

settle() { # waits (at most 2 minutes) until no service of stack $1 has an update under way
  local until=$((SECONDS + 120))
  while [ $SECONDS -lt $until ] && docker service ls -q --filter "label=com.docker.stack.namespace=$1" |
    xargs -r docker service inspect --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' |
    grep -q updating; do
    sleep 0.2
  done
}

versions() { # "name index" per service of a stack
  docker service ls -q --filter "label=com.docker.stack.namespace=$1" | xargs -r docker service inspect --format '{{.Spec.Name}} {{.Version.Index}}' | sort
}
written() { # how many services' versions differ between two versions() listings
  join "$1" "$2" | awk '$2 != $3 {n++} END {print n+0}'
}

remove() { # removes stacks and waits until their services and networks are gone
  docker stack rm "$@" >/dev/null 2>&1 || true
  for st in "$@"; do
    while [ -n "$(docker service ls -q --filter "label=com.docker.stack.namespace=$st")$(docker network ls -q --filter "label=com.docker.stack.namespace=$st")" ]; do
      sleep 0.3
    done
  done
}

cleanup() {
  [ -n "${tm_pid:-}" ] && kill "$tm_pid" 2>/dev/null || true
  for n in "${SIZES[@]}"; do
    docker stack rm "${P}cli$n" "${P}tm$n" >/dev/null 2>&1 || true
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
commit() { git -C "$work/repo" add -A; git -C "$work/repo" commit -q --allow-empty -m "$1"; git -C "$work/repo" push -q origin main; }

props="$work/application.properties"
{
  echo "tidemark.data-dir=$work/data"
  echo "tidemark.git.url=file://$work/remote.git"
  echo "tidemark.git.poll-interval=1h"
  echo "tidemark.api.token=bench"
  echo "quarkus.http.port=$PORT"
  echo "quarkus.log.level=WARN"
  # One DEBUG line per run with the time of each step (fetch, render, snapshot, plan, apply,
  # health, report), kept in bench/swarm/steps.txt.
  echo 'quarkus.log.category."io.tidemark.reconcile.TargetReconciler".level=DEBUG'
  for n in "${SIZES[@]}"; do
    echo "tidemark.targets.b$n.kind=swarm"
    echo "tidemark.targets.b$n.path=s$n"
    echo "tidemark.targets.b$n.stack=${P}tm$n"
    echo "tidemark.targets.b$n.mode=apply"
  done
} >"$props"
for n in "${SIZES[@]}"; do
  mkdir -p "$work/repo/s$n" "$work/cli$n"
  stack "$n" m0 >"$work/repo/s$n/docker-stack.yml"
done
commit "initial"

JAVA_OPTS="${JAVA_OPTS:-} -Dquarkus.config.locations=$props" bin/tidemark >"$work/tidemark.log" 2>&1 &
tm_pid=$!
for _ in $(seq 1 120); do curl -sf "localhost:$PORT/q/health/live" >/dev/null && break; sleep 0.5; done
# Tidemark reconciles every target once at start; let those runs finish, then remove what they
# created, so that "first apply" below really creates every service.
for _ in $(seq 1 600); do
  pending=$(curl -sf "localhost:$PORT/api/targets" | python3 -c 'import json,sys; print(sum(1 for t in json.load(sys.stdin) if not t["lastRunId"] or t["running"]))')
  [ "$pending" = 0 ] && break
  sleep 0.5
done
for n in "${SIZES[@]}"; do remove "${P}tm$n"; done

sync_ms() { # POST sync and wait; prints the round trip in ms
  local t0 t1
  t0=$(now_ms)
  curl -sf -XPOST -H 'Authorization: Bearer bench' "localhost:$PORT/api/targets/$1/sync?wait=600" >"$work/last.json"
  t1=$(now_ms)
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["result"]; sys.exit(r not in ("APPLIED","IN_SYNC"))' "$work/last.json" ||
    echo "Tidemark run of $1 ended $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"])' "$work/last.json")" >&2
  echo $((t1 - t0))
}
deploy_ms() { # deploy_ms STACK FILE [extra args]
  local t0 t1 st=$1 file=$2
  shift 2
  t0=$(now_ms)
  docker stack deploy --resolve-image never "$@" -c "$file" "$st" >/dev/null 2>&1
  t1=$(now_ms)
  echo $((t1 - t0))
}
med() { printf '%s\n' "$@" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) b = 1; printf "%.2fx", a / b }'; }

{
  echo "| services | step | CLI detached (ms) | CLI --detach=false (ms) | Tidemark (ms) | ratio CLI detached / Tidemark | ratio CLI --detach=false / Tidemark | services written: CLI / Tidemark |"
  echo "|---:|---|---:|---:|---:|---:|---:|---|"
} >"$out.tmp"

# A warm-up round on the smallest size, so the JVM's first-request costs are not in the figures.
w=${SIZES[0]}
sync_ms "b$w" >/dev/null
remove "${P}tm$w"

for n in "${SIZES[@]}"; do
  cli_file="$work/cli$n/docker-stack.yml"
  stack "$n" m0 >"$cli_file"
  stack "$n" m0 >"$work/repo/s$n/docker-stack.yml"
  commit "reset $n"

  # First apply, RUNS times from nothing; which tool goes first alternates.
  first_cli=(); first_tm=()
  for r in $(seq 1 "$RUNS"); do
    remove "${P}cli$n" "${P}tm$n"
    if [ $((r % 2)) -eq 1 ]; then
      first_cli+=("$(deploy_ms "${P}cli$n" "$cli_file")"); first_tm+=("$(sync_ms "b$n")")
    else
      first_tm+=("$(sync_ms "b$n")"); first_cli+=("$(deploy_ms "${P}cli$n" "$cli_file")")
    fi
  done

  noop_cli=(); noop_tm=()
  versions "${P}cli$n" >"$work/v-cli"; versions "${P}tm$n" >"$work/v-tm"
  for _ in $(seq 1 "$RUNS"); do
    noop_cli+=("$(deploy_ms "${P}cli$n" "$cli_file")")
    noop_tm+=("$(sync_ms "b$n")")
  done
  versions "${P}cli$n" >"$work/v-cli2"; versions "${P}tm$n" >"$work/v-tm2"
  writes_cli=$(written "$work/v-cli" "$work/v-cli2")
  writes_tm=$(written "$work/v-tm" "$work/v-tm2")

  # One service changed: the CLI detached, the CLI waiting, and Tidemark, each on a new marker.
  change_cli=(); change_wait=(); change_tm=()
  for r in $(seq 1 "$RUNS"); do
    stack "$n" "d$r" >"$cli_file"
    change_cli+=("$(deploy_ms "${P}cli$n" "$cli_file")")
    if [[ $n == *r ]] || [ "$n" -le "$WAIT_MAX" ]; then
      # The detached change's rollout must end first: a waiting deploy that joins it finds the old
      # task already stopping and is timed from half-way through (it measured 8.1 s, not 11 s).
      settle "${P}cli$n"
      stack "$n" "w$r" >"$cli_file"
      change_wait+=("$(deploy_ms "${P}cli$n" "$cli_file" --detach=false)")
    fi
    stack "$n" "m$r" >"$work/repo/s$n/docker-stack.yml"
    commit "change $n $r"
    change_tm+=("$(sync_ms "b$n")")
  done

  mf_cli=$(med "${first_cli[@]}"); mf_tm=$(med "${first_tm[@]}")
  mn_cli=$(med "${noop_cli[@]}"); mn_tm=$(med "${noop_tm[@]}")
  mc_cli=$(med "${change_cli[@]}"); mc_wait="not run"; [ ${#change_wait[@]} -gt 0 ] && mc_wait=$(med "${change_wait[@]}"); mc_tm=$(med "${change_tm[@]}")
  {
    echo "| $n | first apply (median of $RUNS) | $mf_cli | | $mf_tm | $(ratio "$mf_cli" "$mf_tm") | | |"
    echo "| $n | no-op (median of $RUNS) | $mn_cli | | $mn_tm | $(ratio "$mn_cli" "$mn_tm") | | $writes_cli / $writes_tm of $n |"
    echo "| $n | one service changed (median of $RUNS) | $mc_cli | $mc_wait | $mc_tm | $(ratio "$mc_cli" "$mc_tm") | $([ "$mc_wait" = "not run" ] && echo "" || ratio "$mc_wait" "$mc_tm") | |"
  } >>"$out.tmp"
  {
    echo "$n first: cli ${first_cli[*]} / tidemark ${first_tm[*]}"
    echo "$n no-op: cli ${noop_cli[*]} / tidemark ${noop_tm[*]}"
    echo "$n change: cli ${change_cli[*]} / cli --detach=false ${change_wait[*]:-not run} / tidemark ${change_tm[*]}"
  } >>"$out.raw"
  remove "${P}cli$n" "${P}tm$n"
done

{
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) at commit $(git rev-parse --short HEAD) on $(nproc) cores shared with other busy builds (load average $(cut -d' ' -f1-3 /proc/loadavg)), Docker Engine $(docker version --format '{{.Server.Version}}'), CLI $(docker version --format '{{.Client.Version}}'). CLI and Tidemark interleaved in the same run."
  echo
  cat "$out.tmp"
  echo
  echo "Each run:"
  echo
  sed 's/^/    /' "$out.raw"
} >"$out"
rm -f "$out.tmp" "$out.raw"
grep -o 'target=.* steps: .*' "$work/tidemark.log" >"$root/bench/swarm/steps.txt" || true
cat "$out"
