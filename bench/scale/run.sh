#!/usr/bin/env bash
# Many targets on one repository (issue #15): the service started by bin/tidemark follows one
# file:// repository holding N Swarm targets (folder tN/, stack ${STACK_PREFIX}N, 1 service each,
# every third target 2; replicas 0, so no container start-up is timed) on the real swarm, plus:
#   - one target whose engine is unreachable (docker-host names a socket nothing listens on);
#   - one target on a second repository (tidemark.repos.other).
# For each N it reports, once every target has run once:
#   - fetches of the repository during INTERVALS poll intervals (POLL seconds each) with no push
#     (tidemark_git_fetch_duration_seconds_count, which counts the repository fetches);
#   - the service's threads and RSS (VmRSS from /proc), and its peak RSS (VmHWM);
#   - PUSHES signed GitHub push webhooks, each changing one target's folder: ms from sending the
#     webhook to that target's new report (GET /api/targets/<name> shows a new lastRunId at the
#     pushed commit), and how many other targets ran meanwhile (should be 0); the raw lines split
#     each push into webhook-sent-to-run-started and the run itself (the report's own times);
#   - readiness (/q/health/ready) round trips, median and max of 20, with the dead target present;
#   - the second repository's target: its result after its own push.
#   bench/scale/run.sh [N...]        default: 10 100 200
# Env: POLL (s, default 20), INTERVALS (default 2), PUSHES (default 3), DRIFT (default 10m: each
# target's drift-check interval, beyond the run so none falls inside it), STACK_PREFIX (default bscale),
# PORT, JAVA_OPTS (passed to bin/tidemark). Writes bench/scale/results.md; BENCHMARKS.md quotes it.
# Needs: target/quarkus-app (mvn package), docker CLI on a swarm manager (DOCKER_HOST), git, curl,
# python3, openssl. Removes its stacks at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
SIZES=("$@")
[ $# -eq 0 ] && SIZES=(10 100 200)
POLL=${POLL:-20}
INTERVALS=${INTERVALS:-2}
PUSHES=${PUSHES:-3}
# Each target's own drift check (tidemark.targets.<n>.poll-interval); long by default so that a
# drift run cannot be mistaken for a run the push started.
DRIFT=${DRIFT:-10m}
P=${STACK_PREFIX:-bscale}
PORT=${PORT:-18082}
SECRET=bench-secret
out="$root/bench/scale/results.md"

if [ -z "${DOCKER_HOST:-}" ] || ! docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null | grep -q true; then
  eval "$(scripts/test-swarm.sh start)"
fi
export DOCKER_HOST
[ -f target/quarkus-app/quarkus-run.jar ] || mvn -B -ntp -q package -DskipTests

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
med() { printf '%s\n' "$@" | median; }
max() { printf '%s\n' "$@" | sort -n | tail -1; }

stack() { # stack INDEX MARKER
  echo "services:"
  local services=1
  [ $(($1 % 3)) -eq 0 ] && services=2
  for s in $(seq 1 "$services"); do
    cat <<YML
  svc$s:
    image: tidemark-test/busybox:1
    command: ["sleep", "3600"]
    environment:
      MARKER: "$2"
    deploy:
      replicas: 0
YML
  done
}

stacks_of() { # the stacks this run made (services carry the namespace label)
  docker service ls --format '{{.Name}}' --filter "label=com.docker.stack.namespace" | sed -n "s/^\(${P}[0-9a-z]*\)_.*/\1/p" | sort -u
}
remove_all() {
  local st
  st=$(stacks_of)
  [ -n "$st" ] && docker stack rm $st >/dev/null 2>&1 || true
  for _ in $(seq 1 600); do
    [ -z "$(stacks_of)" ] && [ -z "$(docker network ls -q --filter "name=${P}")" ] && break
    sleep 0.5
  done
}

metric() { # metric NAME: the sum of a Prometheus series over its labels
  curl -sf "localhost:$PORT/q/metrics" | awk -v m="$1" '$1 ~ "^"m"({|$)" {s += $2} END {print s+0}'
}
status_of() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$tm_pid/status"; }
targets_json() { curl -sf -H 'Authorization: Bearer bench' "localhost:$PORT/api/targets"; }

# push_ms DIR TARGET FOLDER MARKER: commits a change of FOLDER in the repository DIR, sends the
# signed webhook, and prints "ms others" once TARGET reports the new commit: ms from the webhook's
# send to the report, and how many other targets started a run meanwhile.
push_ms() {
  local dir=$1 name=$2 folder=$3 marker=$4 index body sig t0 t1 head before after
  index=${folder#t}
  [[ $index =~ ^[0-9]+$ ]] || index=1
  stack "$index" "$marker" >"$dir/$folder/docker-stack.yml"
  git -C "$dir" add -A && git -C "$dir" commit -qm "change $folder $marker" && git -C "$dir" push -q origin main
  head=$(git -C "$dir" rev-parse HEAD)
  before=$(targets_json)
  body=$(printf '{"ref":"refs/heads/main","after":"%s","repository":{"full_name":"bench/%s","clone_url":"file://%s"}}' \
    "$head" "$(basename "$dir")" "$(git -C "$dir" remote get-url origin)")
  sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.* //')
  t0=$(now_ms)
  curl -s -o "$work/webhook-$marker.json" -XPOST "localhost:$PORT/api/webhooks/github" \
    -H 'Content-Type: application/json' -H 'X-GitHub-Event: push' \
    -H "X-GitHub-Delivery: scale-$(basename "$dir")-$marker-$$" -H "X-Hub-Signature-256: sha256=$sig" --data-binary "$body"
  for _ in $(seq 1 6000); do
    if curl -sf -H 'Authorization: Bearer bench' "localhost:$PORT/api/targets/$name" |
      python3 -c 'import json,sys; t=json.load(sys.stdin); sys.exit(0 if (t.get("revision") or {}).get("commit")==sys.argv[1] and not t["running"] else 1)' "$head"; then
      break
    fi
    sleep 0.02
  done
  t1=$(now_ms)
  sleep 1 # a target wrongly triggered by the same push would have started by now
  after=$(targets_json)
  others=$(python3 - "$name" "$before" "$after" <<'PY'
import json, sys
name, before, after = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
old = {t["name"]: t["lastRunId"] for t in before}
print(sum(1 for t in after if t["name"] != name and (t["lastRunId"] != old.get(t["name"]) or t["running"])))
PY
)
  # Where the time went: from the send to the run's start (webhook, fetch, wait for a worker), and
  # the run itself, from the report's own times (same clock: the service runs on this machine).
  split=$(curl -sf -H 'Authorization: Bearer bench' "localhost:$PORT/api/targets/$name/drift" | python3 -c '
import json, sys, datetime
r, t0 = json.load(sys.stdin), int(sys.argv[1])
def ms(v):
    if isinstance(v, (int, float)):
        return int(v * 1000)
    return int(datetime.datetime.fromisoformat(v.replace("Z", "+00:00")).timestamp() * 1000)
print(ms(r["startedAt"]) - t0, r.get("durationMillis", -1))' "$t0" || echo "? ?")
  echo "$((t1 - t0)) $others $split"
}

results=()
raw=()
for n in "${SIZES[@]}"; do
  work=$(mktemp -d /tmp/tidemark-scale.XXXXXX)
  tm_pid=""
  cleanup() {
    [ -n "${tm_pid:-}" ] && kill "$tm_pid" 2>/dev/null && wait "$tm_pid" 2>/dev/null || true
    cp "$work/tidemark.log" "/tmp/tidemark-scale-$n.log" 2>/dev/null || true
    remove_all
    rm -rf "$work"
  }
  trap cleanup EXIT
  for repo in main other; do
    git init -q -b main "$work/$repo"
    git -C "$work/$repo" config user.email bench@localhost
    git -C "$work/$repo" config user.name bench
    git clone -q --bare "$work/$repo" "$work/$repo.git" 2>/dev/null || true
    git -C "$work/$repo" remote add origin "$work/$repo.git"
  done
  for i in $(seq 1 "$n"); do
    mkdir -p "$work/main/t$i"
    stack "$i" m0 >"$work/main/t$i/docker-stack.yml"
  done
  mkdir -p "$work/main/dead" "$work/other/o1"
  stack 1 m0 >"$work/main/dead/docker-stack.yml"
  stack 1 m0 >"$work/other/o1/docker-stack.yml"
  for repo in main other; do
    git -C "$work/$repo" add -A && git -C "$work/$repo" commit -qm initial && git -C "$work/$repo" push -q origin main
  done

  props="$work/application.properties"
  {
    echo "tidemark.data-dir=$work/data"
    echo "tidemark.git.url=file://$work/main.git"
    echo "tidemark.git.poll-interval=${POLL}s"
    echo "tidemark.repos.other.url=file://$work/other.git"
    echo "tidemark.repos.other.poll-interval=${POLL}s"
    echo "tidemark.api.token=bench"
    echo "tidemark.webhooks.github.secret=$SECRET"
    echo "quarkus.http.port=$PORT"
    echo "quarkus.log.level=WARN"
    for i in $(seq 1 "$n"); do
      echo "tidemark.targets.t$i.kind=swarm"
      echo "tidemark.targets.t$i.path=t$i"
      echo "tidemark.targets.t$i.stack=${P}$i"
      echo "tidemark.targets.t$i.mode=apply"
      echo "tidemark.targets.t$i.poll-interval=$DRIFT"
    done
    echo "tidemark.targets.dead.kind=swarm"
    echo "tidemark.targets.dead.path=dead"
    echo "tidemark.targets.dead.stack=${P}dead"
    echo "tidemark.targets.dead.docker-host=unix://$work/no-engine.sock"
    echo "tidemark.targets.other.kind=swarm"
    echo "tidemark.targets.other.repo=other"
    echo "tidemark.targets.other.path=o1"
    echo "tidemark.targets.other.stack=${P}other"
    echo "tidemark.targets.other.mode=apply"
    echo "tidemark.targets.other.poll-interval=$DRIFT"
    echo "tidemark.targets.dead.poll-interval=$DRIFT"
  } >"$props"

  t_start=$(now_ms)
  JAVA_OPTS="${JAVA_OPTS:-} -Dquarkus.config.locations=$props" bin/tidemark >"$work/tidemark.log" 2>&1 &
  tm_pid=$!
  for _ in $(seq 1 240); do curl -sf "localhost:$PORT/q/health/live" >/dev/null && break; sleep 0.5; done
  # Every target runs once at start; wait until each has a report.
  for _ in $(seq 1 3600); do
    pending=$(targets_json | python3 -c 'import json,sys; print(sum(1 for t in json.load(sys.stdin) if not t["lastRunId"] or t["running"]))' || echo x)
    [ "$pending" = 0 ] && break
    sleep 0.5
  done
  all_ms=$(($(now_ms) - t_start))
  results_ok=$(targets_json | python3 -c 'import json,sys; ts=json.load(sys.stdin); print(sum(1 for t in ts if t["lastResult"] in ("APPLIED","IN_SYNC")), "of", len(ts), "; dead:", [t["lastResult"] for t in ts if t["name"]=="dead"][0])')

  # Fetches over INTERVALS poll intervals with no push.
  f0=$(metric tidemark_git_fetch_duration_seconds_count)
  sleep $((POLL * INTERVALS))
  f1=$(metric tidemark_git_fetch_duration_seconds_count)
  fetches=$(awk -v a="$f0" -v b="$f1" -v k="$INTERVALS" 'BEGIN {printf "%.1f", (b - a) / k}')
  threads=$(status_of Threads)
  rss=$(($(status_of VmRSS) / 1024))

  # Pushes touching one folder of the main repository.
  push=(); others=(); starts=(); runs=()
  for k in $(seq 1 "$PUSHES"); do
    i=$(( (k * 7919) % n + 1 ))
    read -r ms o start run < <(push_ms "$work/main" "t$i" "t$i" "p$k")
    push+=("$ms"); others+=("$o"); starts+=("$start"); runs+=("$run")
  done
  # The second repository's target, pushed on its own.
  read -r other_ms other_o _ _ < <(push_ms "$work/other" other o1 "p1")
  other_result=$(curl -sf -H 'Authorization: Bearer bench' "localhost:$PORT/api/targets/other" | python3 -c 'import json,sys; print(json.load(sys.stdin)["lastResult"])')

  # Readiness, and liveness (which checks nothing) as the floor of a round trip on this machine.
  ready=(); live=()
  for _ in $(seq 1 20); do
    t0=$(now_ms)
    code=$(curl -s -o /dev/null -w '%{http_code}' "localhost:$PORT/q/health/ready")
    ready+=("$(($(now_ms) - t0))")
    [ "$code" = 200 ] || echo "readiness answered $code" >&2
    t0=$(now_ms)
    curl -s -o /dev/null "localhost:$PORT/q/health/live"
    live+=("$(($(now_ms) - t0))")
  done
  threads2=$(status_of Threads)
  rss2=$(($(status_of VmRSS) / 1024))
  hwm=$(($(status_of VmHWM) / 1024))

  results+=("| $n | $((all_ms / 1000)) s ($results_ok) | $fetches | $threads / $threads2 | $rss / $rss2 (peak $hwm) | $(med "${push[@]}") (max $(max "${push[@]}")) | $(printf '%s+' "${others[@]}" | sed 's/+$//') | $(med "${ready[@]}") (max $(max "${ready[@]}")); live $(med "${live[@]}") | $other_result in $other_ms ms, $other_o others ran |")
  raw+=("$n: pushes ${push[*]} ms (of which webhook sent to run started ${starts[*]} ms, run ${runs[*]} ms), others ${others[*]}; webhook replies: $(cat "$work"/webhook-*.json | tr -d '\n' | cut -c1-400); readiness ${ready[*]} ms; liveness ${live[*]} ms; fetch counter $f0 -> $f1 over $INTERVALS x ${POLL}s")
  cleanup
  trap - EXIT
done

{
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) at commit $(git rev-parse --short HEAD) on $(nproc) cores (load average $(cut -d' ' -f1-3 /proc/loadavg)), Docker Engine $(docker version --format '{{.Server.Version}}'), bin/tidemark defaults${JAVA_OPTS:+ plus JAVA_OPTS=$JAVA_OPTS}; poll interval ${POLL}s."
  echo
  echo "| targets (+dead, +other repo) | all ran once after start (results) | fetches per interval (both repositories together) | threads (settled / after pushes) | RSS MiB (settled / after pushes) | push to that target's report, ms (median of $PUSHES) | other targets that ran per push | readiness ms (median of 20; liveness median beside it) | target on the second repository |"
  echo "|---:|---|---:|---|---|---|---|---|---|"
  printf '%s\n' "${results[@]}"
  echo
  echo "Each run:"
  echo
  printf '    %s\n' "${raw[@]}"
} >"$out"
cat "$out"
