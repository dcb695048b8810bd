#!/usr/bin/env bash
# Memory as shipped: the real service started by bin/tidemark reconciles N Kubernetes objects
# (default 5,000 ConfigMaps over 5 namespaces kdeploy-mem-0..4, plus the namespaces) on the API
# server KUBECONFIG names, in apply mode; prints RSS (VmRSS, VmHWM from /proc) after the first
# apply and after POLLS no-op polls, and the reconcile durations the API reports.
#   KUBECONFIG=... bench/memory/run.sh [OBJECTS]        # launcher defaults
#   JAVA_OPTS='-XX:+UseG1GC -Xmx6g' ... (or LABEL=jvm-defaults RAW_JAVA=1) to compare
#   NMT=1 ... adds the JVM's native memory summary at the end; the heap's top classes are kept in
#   the work dir (histogram.txt) either way (the histogram forces a full GC: RSS is printed again
#   after it, "after-gc")
# Needs: target/quarkus-app (mvn package), git, curl, python3. Deletes its namespaces at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
objects=${1:-5000}
polls=${POLLS:-4}
interval=${POLL_INTERVAL:-10}
port=${PORT:-18089}
label=${LABEL:-launcher}
prefix=${NS_PREFIX:-kdeploy-mem}
wait_limit=${WAIT_LIMIT:-3600}
: "${KUBECONFIG:?KUBECONFIG must name a kubeconfig}"
kubectl=${KUBECTL:-kubectl}
work=$(mktemp -d /tmp/tidemark-mem.XXXXXX)
ns_count=5
per_ns=$((objects / ns_count))

# 1. A Git repository of N ConfigMaps.
mkdir -p "$work/src/k8s"
python3 - "$work/src/k8s" "$ns_count" "$per_ns" "$prefix" <<'PY'
import sys
out, nsc, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for n in range(nsc):
    ns = f"{sys.argv[4]}-{n}"
    with open(f"{out}/ns-{n}.yaml", "w") as f:
        f.write(f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n---\n")
        for i in range(per):
            f.write(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  namespace: {ns}\n"
                    f"  labels:\n    app: bench-{i % 50}\ndata:\n  index: \"{i}\"\n"
                    f"  payload: \"{'x' * 200}\"\n---\n")
PY
git -C "$work/src" init -q -b main
git -C "$work/src" add -A
git -C "$work/src" -c user.name=bench -c user.email=bench@localhost commit -qm "$objects objects"
git clone -q --bare "$work/src" "$work/repo.git"

cat >"$work/application.properties" <<PROPS
quarkus.http.port=$port
tidemark.data-dir=$work/data
tidemark.git.url=file://$work/repo.git
tidemark.git.branch=main
tidemark.git.poll-interval=${interval}s
tidemark.targets.mem.kind=kubernetes
tidemark.targets.mem.path=k8s
tidemark.targets.mem.mode=apply
tidemark.targets.mem.kubeconfig=$KUBECONFIG
tidemark.targets.mem.namespace=$prefix-0
tidemark.targets.mem.health-timeout=60s
PROPS

# 2. Start the service.
[ "${NMT:-0}" = 1 ] && JAVA_OPTS="${JAVA_OPTS:-} -XX:NativeMemoryTracking=summary"
if [ "${RAW_JAVA:-0}" = 1 ]; then
  java ${JAVA_OPTS:-} -Dquarkus.config.locations="$work/application.properties" -jar target/quarkus-app/quarkus-run.jar >"$work/log" 2>&1 &
else
  JAVA_OPTS="${JAVA_OPTS:-} -Dquarkus.config.locations=$work/application.properties" bin/tidemark >"$work/log" 2>&1 &
fi
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for n in $(seq 0 $((ns_count - 1))); do "$kubectl" delete ns "$prefix-$n" --wait=false >/dev/null 2>&1 || true; done
    echo "work dir: $work" >&2
}
trap cleanup EXIT

mem() { awk '/VmRSS|VmHWM/ {printf "%s %d ", $1, $2/1024}' "/proc/$pid/status"; }
runs() { curl -sf "localhost:$port/api/targets/mem/runs?limit=$((polls + 1))" || echo '[]'; }
# Runs are counted from the target's lastRunId (a small answer), not by reading the history: a
# report of 5,000 objects is a few MB of JSON, and reading fifty of them every second would make
# the benchmark itself the service's biggest allocator.
seen_runs=""
done_count=0
track() { # adds the target's newest run to seen_runs; sets done_count; always succeeds
  local id
  id=$(curl -sf "localhost:$port/api/targets/mem" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("lastRunId") or "")' 2>/dev/null || true)
  if [ -n "$id" ] && ! grep -qx -- "$id" <<<"$seen_runs"; then
    seen_runs=$(printf '%s\n%s' "$seen_runs" "$id")
  fi
  done_count=$(grep -c . <<<"$seen_runs" || true)
}

# 3. Wait for the first run (the first apply), then for POLLS more runs.
deadline=$((SECONDS + wait_limit))
# RSS every 5 s to $work/rss.tsv (seconds, VmRSS MiB, VmHWM MiB), so a run cut short still tells.
(while kill -0 "$pid" 2>/dev/null; do
  awk -v t=$SECONDS '/VmRSS/ {r=$2} /VmHWM/ {h=$2} END {printf "%d\t%d\t%d\n", t, r/1024, h/1024}' "/proc/$pid/status" 2>/dev/null
  sleep 5
done) >"$work/rss.tsv" &

until track && [ "$done_count" -ge 1 ]; do
  [ $SECONDS -lt $deadline ] || { echo "no first run after $wait_limit s" >&2; tail -20 "$work/log" >&2; exit 1; }
  kill -0 "$pid" || { tail -20 "$work/log" >&2; exit 1; }
  sleep 1
done
echo "$label after-first-apply $(mem)"
until track && [ "$done_count" -ge $((polls + 1)) ]; do
  [ $SECONDS -lt $deadline ] || { echo "not enough polls" >&2; exit 1; }
  sleep 1
done
echo "$label after-$polls-polls $(mem)"
# Where the memory is: the heap's biggest classes after a full GC, and, when the service runs with
# -XX:NativeMemoryTracking=summary (NMT=1), the JVM's own accounting by area (committed KiB).
jcmd "$pid" GC.class_histogram 2>/dev/null | sed -n 1,15p >"$work/histogram.txt" || true
echo "$label heap-after-full-gc $(jcmd "$pid" GC.heap_info 2>/dev/null | grep -o 'used [0-9]*K' | head -2 | tr '\n' ' ')"
if [ "${NMT:-0}" = 1 ]; then
  jcmd "$pid" VM.native_memory summary >"$work/nmt.txt" 2>/dev/null || true
  grep -E '^-? *(Total|Java Heap|Class|Thread|Code|GC|Compiler|Internal|Other|Symbol|Native Memory Tracking|Arena Chunk|Metaspace)' "$work/nmt.txt" |
    sed -E 's/^-? *//; s/\(reserved=[0-9]+KB, committed=([0-9]+)KB\)/committed \1 KiB/' | sed "s/^/$label nmt /"
fi
echo "$label after-gc $(mem)"
runs >"$work/runs.json"
python3 - "$work/runs.json" "$label" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d = d.get("runs", d) if isinstance(d, dict) else d
for r in reversed(d):
    keys = {k: r.get(k) for k in ("result", "applied", "durationMillis", "startedAt", "summary") if k in r}
    print(sys.argv[2], "run", json.dumps(keys, sort_keys=True))
PY
