#!/usr/bin/env bash
# Webhook to first write: how long after a signed GitHub push webhook reaches Tidemark (the
# service, on loopback, following a file:// repository) the Swarm service carries the pushed
# change. The stack is one busybox service of 2 replicas whose updates are slow (one task at a
# time, DELAY between them), so a rollout lasts longer than the gap between pushes.
#   bench/webhook/run.sh            IDLE=5 pushes after the rollout finished, then
#                                   BUSY=6 pushes GAP=12 s apart, each while the previous rolls out
# The write is seen by polling the engine for the service spec every ~20 ms (curl on the socket).
# Writes bench/webhook/results.md; BENCHMARKS.md quotes it.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
IDLE=${IDLE:-5}
BUSY=${BUSY:-6}
GAP=${GAP:-12}
DELAY=${DELAY:-20s}
PORT=${PORT:-18081}
STACK=${STACK:-bwebhook}
SECRET=bench-secret
work=$(mktemp -d /tmp/tidemark-webhook.XXXXXX)
out="$root/bench/webhook/results.md"

if [ -z "${DOCKER_HOST:-}" ] || ! docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null | grep -q true; then
  eval "$(scripts/test-swarm.sh start)"
fi
export DOCKER_HOST
socket=${DOCKER_HOST#unix://}
[ -n "${TIDEMARK_HOME:-}" ] || [ -f target/quarkus-app/quarkus-run.jar ] || mvn -B -ntp -q package -DskipTests

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

stack() {
  cat <<YML
services:
  web:
    image: tidemark-test/busybox:1
    command: ["sleep", "3600"]
    environment:
      RELEASE: "$1"
    deploy:
      replicas: 2
      update_config:
        parallelism: 1
        delay: $DELAY
YML
}

cleanup() {
  [ -n "${tm_pid:-}" ] && kill "$tm_pid" 2>/dev/null || true
  docker stack rm "$STACK" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

git init -q -b main "$work/repo"
git -C "$work/repo" config user.email bench@localhost
git -C "$work/repo" config user.name bench
git clone -q --bare "$work/repo" "$work/remote.git" 2>/dev/null || true
git -C "$work/repo" remote add origin "$work/remote.git"
commit() { git -C "$work/repo" add -A; git -C "$work/repo" commit -qm "$1"; git -C "$work/repo" push -q origin main; }

props="$work/application.properties"
cat >"$props" <<P
tidemark.data-dir=$work/data
tidemark.git.url=file://$work/remote.git
tidemark.git.poll-interval=1h
tidemark.api.token=bench
tidemark.webhooks.github.secret=$SECRET
quarkus.http.port=$PORT
quarkus.log.level=WARN
tidemark.targets.wh.kind=swarm
tidemark.targets.wh.path=swarm
tidemark.targets.wh.stack=$STACK
tidemark.targets.wh.mode=apply
P
mkdir -p "$work/repo/swarm"
stack 0 >"$work/repo/swarm/docker-stack.yml"
commit "release 0"

JAVA_OPTS="${JAVA_OPTS:-} -Dquarkus.config.locations=$props" bin/tidemark >"$work/tidemark.log" 2>&1 &
tm_pid=$!
for _ in $(seq 1 240); do curl -sf "localhost:$PORT/q/health/live" >/dev/null && break; sleep 0.5; done

release_live() { # the RELEASE the service spec carries now (Spec comes before PreviousSpec)
  curl -s --unix-socket "$socket" "http://engine/v1.41/services/${STACK}_web" |
    grep -o '"RELEASE=[0-9]*"' | head -1 | tr -dc '0-9'
}
update_state() {
  curl -s --unix-socket "$socket" "http://engine/v1.41/services/${STACK}_web" |
    python3 -c 'import json,sys; print((json.load(sys.stdin).get("UpdateStatus") or {}).get("State",""))'
}
# Wait for the start-up reconcile to create the service and its tasks.
for _ in $(seq 1 240); do [ "$(release_live)" = 0 ] && break; sleep 0.5; done

# Pushes release $1 and sends GitHub's push webhook for it; prints ms from the webhook's send to
# the first moment the engine's service spec carries the release.
push_ms() {
  local r=$1 body sig t0 t1
  stack "$r" >"$work/repo/swarm/docker-stack.yml"
  commit "release $r"
  body=$(printf '{"ref":"refs/heads/main","after":"%s","repository":{"full_name":"bench/repo"}}' \
    "$(git -C "$work/repo" rev-parse HEAD)")
  sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.* //')
  t0=$(now_ms)
  curl -sf -o /dev/null -XPOST "localhost:$PORT/api/webhooks/github" \
    -H 'Content-Type: application/json' -H 'X-GitHub-Event: push' \
    -H "X-GitHub-Delivery: bench-$r-$$" -H "X-Hub-Signature-256: sha256=$sig" --data-binary "$body"
  while [ "$(release_live)" != "$r" ]; do sleep 0.02; done
  t1=$(now_ms)
  echo $((t1 - t0))
}

idle=(); busy=(); busy_states=()
r=0
for _ in $(seq 1 "$IDLE"); do
  # The previous rollout has finished (or never started): an idle push.
  for _ in $(seq 1 600); do s=$(update_state); [ "$s" = "" ] || [ "$s" = completed ] && break; sleep 0.2; done
  r=$((r + 1)); idle+=("$(push_ms "$r")")
done
for _ in $(seq 1 "$BUSY"); do
  start=$(now_ms)
  r=$((r + 1))
  busy_states+=("$(update_state)")
  busy+=("$(push_ms "$r")")
  sleep_ms=$((GAP * 1000 - ($(now_ms) - start)))
  [ "$sleep_ms" -gt 0 ] && sleep "$(awk -v m="$sleep_ms" 'BEGIN{print m/1000}')"
done
results=$(curl -sf "localhost:$PORT/api/targets/wh/runs?limit=100" | python3 -c '
import json,sys
from collections import Counter
runs = json.load(sys.stdin)
runs = runs.get("runs", runs) if isinstance(runs, dict) else runs
print(", ".join(f"{k} {v}" for k, v in sorted(Counter(r.get("result", "?") for r in runs).items())))' 2>/dev/null || echo "?")

{
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores shared with other busy builds, Docker Engine $(docker version --format '{{.Server.Version}}')."
  echo "Service: 2 replicas, update_config parallelism 1, delay $DELAY (a rollout outlasts the ${GAP} s gap)."
  echo
  echo "| pushes | when | webhook to first write, median (ms) | each (ms) |"
  echo "|---|---|---:|---|"
  echo "| $IDLE | previous rollout finished | $(printf '%s\n' "${idle[@]}" | median) | ${idle[*]} |"
  echo "| $BUSY | ${GAP} s after the previous push, its rollout under way (update state at push: ${busy_states[*]}) | $(printf '%s\n' "${busy[@]}" | median) | ${busy[*]} |"
  echo
  echo "Run results in Tidemark's history: $results."
} >"$out"
cat "$out"
