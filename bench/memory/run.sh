#!/usr/bin/env bash
# Memory as shipped: the real service started by bin/tidemark reconciles N Kubernetes objects
# (default 5,000 ConfigMaps over 5 namespaces $NS_PREFIX-0..4, plus the namespaces) on the API
# server KUBECONFIG names, in apply mode, polling every POLL_INTERVAL (10) s. It prints VmRSS and
# VmHWM (peak) from /proc/PID/status and the service's CPU seconds after start (HTTP answering),
# after the first apply, after POLLS (3) no-op polls (with the highest VmRSS sampled during them),
# after a full GC, then the reconcile durations the API reports and one `summary` line.
#   KUBECONFIG=... bench/memory/run.sh [OBJECTS]        # launcher defaults
#   JAVA_OPTS='-Xms16m' ... bench/memory/run.sh          # launcher defaults plus flags (last wins)
#   RAW_JAVA=1 JAVA_OPTS='-XX:+UseG1GC ...' LABEL=g1 ... # plain java -jar with exactly these flags
#   NMT=1 ... adds the JVM's native memory summary at the end; the heap's top classes are kept in
#   the work dir (histogram.txt) either way (the histogram forces a full GC: RSS is printed again
#   after it, "after-gc"); RSS every 2 s is in rss.tsv (seconds, VmRSS MiB, VmHWM MiB).
# bench/memory/compare.sh runs several flag sets interleaved and prints medians.
# Time: about 5 minutes at 5,000 objects on a quiet 2-core machine (API server included); the
# first apply is bound by CPU (service + kube-apiserver + etcd), so a loaded machine stretches it.
# Needs: target/quarkus-app (mvn package), git, curl, python3, jcmd. Deletes its namespaces at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
objects=${1:-5000}
polls=${POLLS:-3}
interval=${POLL_INTERVAL:-10}
port=${PORT:-18089}
label=${LABEL:-launcher}
prefix=${NS_PREFIX:-kdeploy-mem}
# The target's name is its ownership label: services side by side on one API server need their own,
# or each one lists (and prunes) the others' objects too.
target=$(tr -cd 'a-z0-9' <<<"$prefix")
wait_limit=${WAIT_LIMIT:-1800}
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
tidemark.targets.$target.kind=kubernetes
tidemark.targets.$target.path=k8s
tidemark.targets.$target.mode=apply
tidemark.targets.$target.kubeconfig=$KUBECONFIG
tidemark.targets.$target.namespace=$prefix-0
tidemark.targets.$target.health-timeout=60s
PROPS

# 2. Start the service.
[ "${NMT:-0}" = 1 ] && JAVA_OPTS="${JAVA_OPTS:-} -XX:NativeMemoryTracking=summary"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "${RAW_JAVA:-0}" = 1 ]; then
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
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

# RSS and peak in MiB, and the service's CPU seconds (user + system, from /proc/PID/stat).
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status"; }
hwm() { awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status"; }
cpu() { awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); printf "%.1f", ($12 + $13) / hz}' "/proc/$pid/stat"; }
mem() { echo "VmRSS $(rss) VmHWM $(hwm) MiB, cpu $(cpu) s"; }
# Runs are counted from the target's lastRunId (a small answer), not by reading the history: a
# report of 5,000 objects is a few MB of JSON, and reading fifty of them every second would make
# the benchmark itself the service's biggest allocator.
seen_runs=""
done_count=0
track() { # adds the target's newest run to seen_runs; sets done_count; always succeeds
  local id
  id=$(curl -sf "localhost:$port/api/targets/$target" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("lastRunId") or "")' 2>/dev/null || true)
  if [ -n "$id" ] && ! grep -qx -- "$id" <<<"$seen_runs"; then
    seen_runs=$(printf '%s\n%s' "$seen_runs" "$id")
  fi
  done_count=$(grep -c . <<<"$seen_runs" || true)
}

deadline=$((SECONDS + wait_limit))
started=$SECONDS
# RSS every 2 s to $work/rss.tsv (seconds, VmRSS MiB, VmHWM MiB), so a run cut short still tells.
(while kill -0 "$pid" 2>/dev/null; do
  awk -v t=$((SECONDS - started)) '/VmRSS/ {r=$2} /VmHWM/ {h=$2} END {printf "%d\t%d\t%d\n", t, r/1024, h/1024}' "/proc/$pid/status" 2>/dev/null
  sleep 2
done) >"$work/rss.tsv" &

# 3. After start: the HTTP server answers (the first reconcile may already be running).
until curl -sf -o /dev/null "localhost:$port/q/health/live"; do
  [ $SECONDS -lt $deadline ] && kill -0 "$pid" || { echo "service did not start" >&2; tail -20 "$work/log" >&2; exit 1; }
  sleep 0.5
done
start_rss=$(rss) start_hwm=$(hwm) start_cpu=$(cpu) start_s=$((SECONDS - started))
echo "$label after-start ${start_s}s $(mem)"

# 4. The first run (the first apply), then POLLS more runs (no-op polls).
until track && [ "$done_count" -ge 1 ]; do
  [ $SECONDS -lt $deadline ] || { echo "no first run after $wait_limit s" >&2; tail -20 "$work/log" >&2; exit 1; }
  kill -0 "$pid" || { tail -20 "$work/log" >&2; exit 1; }
  sleep 1
done
apply_rss=$(rss) apply_hwm=$(hwm) apply_cpu=$(cpu) apply_at=$((SECONDS - started))
echo "$label after-first-apply $(mem)"
until track && [ "$done_count" -ge $((polls + 1)) ]; do
  [ $SECONDS -lt $deadline ] || { echo "not enough polls" >&2; exit 1; }
  kill -0 "$pid" || { tail -20 "$work/log" >&2; exit 1; }
  sleep 1
done
poll_rss=$(rss) poll_hwm=$(hwm) poll_cpu=$(cpu)
poll_peak=$(awk -v from="$apply_at" '$1 >= from && $2 > m {m = $2} END {print m + 0}' "$work/rss.tsv")
echo "$label after-$polls-polls $(mem), highest VmRSS sampled during the polls $poll_peak MiB"
# Collector time so far (jstat's GCT column, seconds), before the histogram forces a full GC: a heap
# cap that is too small shows here as GC thrash.
gc_s=$(jstat -gcutil "$pid" 2>/dev/null | awk 'NR == 2 {print $NF}')
gc_s=${gc_s:-0}
echo "$label gc-time ${gc_s} s"
# Where the memory is: the heap's biggest classes after a full GC, and, when the service runs with
# -XX:NativeMemoryTracking=summary (NMT=1), the JVM's own accounting by area (committed KiB).
jcmd "$pid" GC.class_histogram 2>/dev/null | sed -n 1,15p >"$work/histogram.txt" || true
heap_info=$(jcmd "$pid" GC.heap_info 2>/dev/null || true)
echo "$heap_info" >"$work/heap-info.txt"
live_kib=$(grep -o 'used [0-9]*K' <<<"$heap_info" | tr -dc '0-9\n' | awk '{s += $1} END {print s + 0}')
echo "$label heap-after-full-gc $((live_kib / 1024)) MiB used"
if [ "${NMT:-0}" = 1 ]; then
  jcmd "$pid" VM.native_memory summary >"$work/nmt.txt" 2>/dev/null || true
  grep -E '^-? *(Total|Java Heap|Class|Thread|Code|GC|Compiler|Internal|Other|Symbol|Native Memory Tracking|Arena Chunk|Metaspace)' "$work/nmt.txt" |
    sed -E 's/^-? *//; s/\(reserved=[0-9]+KB, committed=([0-9]+)KB\)/committed \1 KiB/' | sed "s/^/$label nmt /"
fi
echo "$label after-gc $(mem)"
# More runs than counted may have finished by now (a poll every POLL_INTERVAL): read enough, and
# keep those from the first apply on.
curl -sf "localhost:$port/api/targets/$target/runs?limit=$((polls + 30))" >"$work/runs.json" || echo '[]' >"$work/runs.json"
first_id=$(grep -m1 . <<<"$seen_runs")
threads=$(ls "/proc/$pid/task" | wc -l)
FIRST_ID=$first_id POLLS=$polls python3 - "$work/runs.json" "$label" "$objects" "$load_before $(cut -d' ' -f1-3 /proc/loadavg)" \
  "$start_s $start_rss $start_hwm $start_cpu" "$apply_rss $apply_hwm $apply_cpu" \
  "$poll_peak $poll_rss $poll_hwm $poll_cpu" "$((live_kib / 1024)) $threads $gc_s" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d = d.get("runs", d) if isinstance(d, dict) else d
import os
runs = list(reversed(d))
ids = [r.get("id") for r in runs]
# A fresh service: when fewer runs came back than asked for, the oldest is the first apply (the
# 1 s tracker can miss it when a poll follows at once); otherwise start at the first run seen.
if len(runs) >= int(os.environ["POLLS"]) + 30 and os.environ.get("FIRST_ID") in ids:
    runs = runs[ids.index(os.environ["FIRST_ID"]):]
runs = runs[: int(os.environ["POLLS"]) + 1]
for r in runs:
    keys = {k: r.get(k) for k in ("result", "applied", "durationMillis", "startedAt", "summary") if k in r}
    print(sys.argv[2], "run", json.dumps(keys, sort_keys=True))
load = sys.argv[4].split()
s_t, s_rss, s_hwm, s_cpu = sys.argv[5].split()
a_rss, a_hwm, a_cpu = sys.argv[6].split()
p_peak, p_rss, p_hwm, p_cpu = sys.argv[7].split()
live, threads, gc_s = sys.argv[8].split()
durations = [r.get("durationMillis") for r in runs]
summary = {
    "label": sys.argv[2], "objects": int(sys.argv[3]),
    "load_before": load[:3], "load_after": load[3:],
    "start_s": int(s_t), "start_rss": int(s_rss), "start_hwm": int(s_hwm), "start_cpu": float(s_cpu),
    "apply_rss": int(a_rss), "apply_hwm": int(a_hwm), "apply_cpu": float(a_cpu),
    "apply_ms": durations[0] if durations else None, "apply_result": runs[0].get("result") if runs else None,
    "poll_peak_rss": int(p_peak), "poll_rss": int(p_rss), "poll_hwm": int(p_hwm), "poll_cpu": float(p_cpu),
    "poll_ms": durations[1:], "live_heap_mib": int(live), "threads": int(threads), "gc_s": float(gc_s),
}
print(sys.argv[2], "summary", json.dumps(summary))
PY
