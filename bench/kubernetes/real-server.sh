#!/usr/bin/env bash
# Tidemark against kubectl on a real Kubernetes API server, side by side and interleaved, on the
# issue's 1,001 objects (a Namespace, 250 Deployments, 250 Services, 500 ConfigMaps):
#   apply: first apply into a fresh namespace, `bin/tidemark apply` (the CLI, a fresh JVM) vs
#          `kubectl apply --server-side`;
#   plan:  a cold plan of the applied set, `bin/tidemark plan` (a fresh JVM: no remembered
#          verdicts, one dry-run per object) vs `kubectl diff --server-side`;
#   no-op: the running service's reconcile of the same, unchanged set (POST /sync?wait), after a
#          first (cold) reconcile.
# Each run uses fresh namespaces and target names, deleted after the run (the namespace controller
# deletes their objects; the next run waits for it, so that deletion does not load the server
# during a measurement). Needs `mvn package` first (bin/tidemark runs target/quarkus-app).
# Usage: TIDEMARK_BENCH_KUBECONFIG=/path/kubeconfig bench/kubernetes/real-server.sh [RUNS]
#   (or bench/kubernetes/run.sh with TIDEMARK_BENCH_KUBECONFIG set)
#   env: KUBECTL (kubectl), DEPLOYMENTS (250: as many Services, twice as many ConfigMaps),
#        CONCURRENCY (tidemark's --concurrency, default 8), NOOPS (5), RESULTS (results/real-server.jsonl)
# Prints one JSON line per run and per measurement, then medians and ratios (python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
kubeconfig=${TIDEMARK_BENCH_KUBECONFIG:?set TIDEMARK_BENCH_KUBECONFIG to a kubeconfig of a throwaway cluster}
kubectl=${KUBECTL:-kubectl}
runs=${1:-3}
deployments=${DEPLOYMENTS:-250}
concurrency=${CONCURRENCY:-8}
noops=${NOOPS:-5}
out=bench/kubernetes/${RESULTS:-results/real-server.jsonl}
mkdir -p "$(dirname "$out")"
work=$(mktemp -d)
service_pid=""
cleanup() {
  if [ -n "$service_pid" ]; then kill "$service_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
k() { "$kubectl" --kubeconfig "$kubeconfig" "$@"; }

# The manifests of RealClusterTest with TIDEMARK_IT_MANY=$deployments, in namespace $1, to file $2.
generate() {
  local ns=$1 file=$2
  {
    printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n---\n' "$ns"
    for ((i = 0; i < deployments; i++)); do
      cat <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-$i, namespace: $ns}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]
        resources: {requests: {cpu: 100m}}
        readinessProbe: {httpGet: {path: /, port: 80}}
---
apiVersion: v1
kind: Service
metadata: {name: web-$i, namespace: $ns}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
EOF
    done
    for ((i = 0; i < 2 * deployments; i++)); do
      printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings-%d, namespace: %s}\ndata: {index: "%d"}\n---\n' "$i" "$ns" "$i"
    done
  } >"$file"
}

# Runs a command; prints "wall_s cpu_s exit" (cpu: user + system of the command and its children).
timed() {
  local t=$work/time rc=0
  /usr/bin/time -f '%e %U %S' -o "$t" "$@" >"$work/last.out" 2>&1 || rc=$?
  read -r wall user sys <"$t" || true
  # /usr/bin/time writes "Command exited with non-zero status N" first on failure.
  if [ "$rc" -ne 0 ]; then read -r wall user sys < <(tail -n 1 "$t"); fi
  echo "$wall $(python3 -c "print(round($user + $sys, 2))") $rc"
}

record() { # mode tool run wall cpu rc
  printf '{"mode":"%s","tool":"%s","run":%d,"objects":%d,"wallS":%s,"cpuS":%s,"exit":%s,"load":"%s"}\n' \
    "$1" "$2" "$3" $((4 * deployments + 1)) "$4" "$5" "$6" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"
}

await_gone() {
  for ns in "$@"; do
    k wait --for=delete "namespace/$ns" --timeout=600s >/dev/null 2>&1 || true
  done
}

: >"$out"
tag=kb$$
for ((run = 1; run <= runs; run++)); do
  tm=$tag-t$run kc=$tag-k$run
  mkdir -p "$work/$tm"
  generate "$tm" "$work/$tm/objects.yaml"
  generate "$kc" "$work/$kc.yaml"
  common=(--repo "$work/$tm" --kind kubernetes --kubeconfig "$kubeconfig" --name "$tm" --namespace "$tm"
    --concurrency "$concurrency" --no-color)

  # First apply: alternate which tool goes first, so neither always meets the warmer server.
  if ((run % 2)); then order=(tidemark kubectl); else order=(kubectl tidemark); fi
  for tool in "${order[@]}"; do
    if [ "$tool" = tidemark ]; then
      # No health wait (pods never run without a kubelet; kubectl apply does not wait either).
      read -r wall cpu rc < <(timed bin/tidemark apply "${common[@]}" --health-timeout 1s)
    else
      read -r wall cpu rc < <(timed "$kubectl" --kubeconfig "$kubeconfig" apply --server-side -f "$work/$kc.yaml")
    fi
    [ "$rc" -le 2 ] || { echo "$tool apply failed:" >&2; tail -20 "$work/last.out" >&2; }
    record apply "$tool" "$run" "$wall" "$cpu" "$rc"
  done

  # Cold plan of what was just applied (kubectl diff exits 1 when it finds differences).
  for tool in "${order[@]}"; do
    if [ "$tool" = tidemark ]; then
      read -r wall cpu rc < <(timed bin/tidemark plan "${common[@]}")
    else
      read -r wall cpu rc < <(timed "$kubectl" --kubeconfig "$kubeconfig" diff --server-side -f "$work/$kc.yaml")
    fi
    record plan "$tool" "$run" "$wall" "$cpu" "$rc"
  done

  # The running service's no-op, on the first run's set only (it does not depend on the run).
  if ((run == 1)); then
    git -C "$work/$tm" init -q -b main && git -C "$work/$tm" add -A &&
      git -C "$work/$tm" -c user.name=bench -c user.email=bench@localhost commit -q -m objects
    port=$((20000 + $$ % 20000))
    JAVA_OPTS="${JAVA_OPTS:-} -Dtidemark.git.url=file://$work/$tm -Dtidemark.data-dir=$work/data
      -Dtidemark.api.token=bench -Dtidemark.git.poll-interval=1h -Dquarkus.http.port=$port
      -Dtidemark.targets.$tm.kind=kubernetes -Dtidemark.targets.$tm.path=.
      -Dtidemark.targets.$tm.kubeconfig=$kubeconfig -Dtidemark.targets.$tm.namespace=$tm
      -Dtidemark.targets.$tm.mode=detect -Dtidemark.targets.$tm.concurrency=$concurrency" \
      bin/tidemark >"$work/service.log" 2>&1 &
    service_pid=$!
    sync_once() {
      curl -sf -X POST -H 'Authorization: Bearer bench' \
        "http://127.0.0.1:$port/api/targets/$tm/sync?wait=600"
    }
    for ((i = 0; i < 300; i++)); do
      curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break
      sleep 1
    done
    sync_once >/dev/null # the first reconcile after a start: cold, one dry-run per object
    for ((i = 1; i <= noops; i++)); do
      start=$(date +%s.%N)
      sync_once >"$work/report.json"
      wall=$(python3 -c "import time; print(round(time.time() - $start, 3))")
      # The report of 1,001 objects is too long for an argument: read it from the file.
      ms=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r['durationMillis'], sum(r['summary'].get(k,0) for k in ('CREATE','UPDATE','DELETE','ADOPT','CONFLICT')))" "$work/report.json")
      record noop service "$i" "$wall" 0 "${ms#* }" # "exit": the writes it planned, 0 in a no-op
      printf '{"mode":"noop-run","run":%d,"durationMillis":%s}\n' "$i" "${ms% *}" | tee -a "$out"
    done
    kill "$service_pid" && wait "$service_pid" 2>/dev/null || true
    service_pid=""
  fi

  k delete namespace "$tm" "$kc" --wait=false >/dev/null
  await_gone "$tm" "$kc"
done

python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def med(mode, tool, key):
    v = [r[key] for r in rows if r.get("mode") == mode and r.get("tool") == tool]
    return statistics.median(v) if v else None
loads = sorted({r["load"] for r in rows if "load" in r})
print()
print("| step | Tidemark wall s (CPU s) | kubectl wall s (CPU s) | kubectl / Tidemark |")
print("|---|---:|---:|---:|")
for mode, other in (("apply", "kubectl apply --server-side"), ("plan", "kubectl diff --server-side")):
    tw, tc = med(mode, "tidemark", "wallS"), med(mode, "tidemark", "cpuS")
    kw, kc = med(mode, "kubectl", "wallS"), med(mode, "kubectl", "cpuS")
    print(f"| {mode} (vs {other}) | {tw} ({tc}) | {kw} ({kc}) | {round(kw / tw, 2)}x |")
noop = [r["durationMillis"] for r in rows if r.get("mode") == "noop-run"]
wall = med("noop", "service", "wallS")
if noop:
    print(f"| service no-op (POST /sync?wait, {len(noop)} runs) | {wall} (run {statistics.median(noop)} ms) | - | - |")
print(f"\nruns: {max(r.get('run', 0) for r in rows)}; load average (1, 5, 15 min) at each measurement: {loads[0]} .. {loads[-1]}")
PY
