#!/usr/bin/env bash
# No-op reconcile benchmark of the Kubernetes target on generated manifests (100, 1,000, 5,000
# objects). Each size and mode runs in a fresh JVM, so heap and RSS belong to that run alone.
#   double: the whole no-op reconcile (render, snapshot, plan) on the in-process recording double
#           of our KubeApi port (no API server: none can be installed on these machines).
#   mock:   render + snapshot (the list path) through fabric8 over real HTTP to fabric8's mock
#           server in CRUD mode, which cannot answer server-side (dry-run) apply.
# Usage: bench/kubernetes/run.sh [SIZES...]
#   env: JAVA_OPTS, RUNS (5), WARMUPS (5), MVN_FLAGS (-o), RESULTS (results/last-run.jsonl)
# Prints one JSON line per run and a Markdown table (python3) for BENCHMARKS.md.
# With TIDEMARK_BENCH_KUBECONFIG set, runs real-server.sh instead: Tidemark against kubectl on that
# (throwaway) cluster; see its header. Usage then: bench/kubernetes/run.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -n "${TIDEMARK_BENCH_KUBECONFIG:-}" ]; then
  exec bench/kubernetes/real-server.sh "$@"
fi
sizes=("${@:-100 1000 5000}")
read -r -a sizes <<<"${sizes[*]}"
runs=${RUNS:-5}
warmups=${WARMUPS:-5}
out=bench/kubernetes/${RESULTS:-results/last-run.jsonl}
mkdir -p "$(dirname "$out")"

mvn -q -B ${MVN_FLAGS--o} -Dspotless.check.skip=true test-compile
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -q -B ${MVN_FLAGS--o} dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >/dev/null
classpath="target/test-classes:target/classes:$(cat "$cp_file")"

: >"$out"
for mode in double mock; do
  for n in "${sizes[@]}"; do
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
    java ${JAVA_OPTS:-} -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
      -cp "$classpath" io.tidemark.bench.KubernetesBench "$mode" "$n" "$runs" "$warmups" \
      | grep '^{' | sed "s|}\$|,\"javaOpts\":\"${JAVA_OPTS:-}\"}|" | tee -a "$out"
  done
done

python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print()
print("| mode | objects | kinds | no-op wall ms | thread CPU ms | process CPU ms | render / snapshot / plan wall ms | requests per no-op | requests, first after start | heap after GC MiB (of it, the double) | RSS MiB (peak) | JVM opts |")
print("|---|---:|---:|---:|---:|---:|---|---:|---:|---|---|---|")
for r in rows:
    if r["mode"] == "double":
        print(f'| double | {r["objects"]} | {r["kinds"]} | {r["noopMsMedian"]} | {r["noopCpuMsMedian"]} | '
              f'{r["noopProcessCpuMsMedian"]} | '
              f'{r["renderMsMedian"]} / {r["snapshotMsMedian"]} / {r["planMsMedian"]} | {r["noopRequests"]} '
              f'({r["noopDryRuns"]} dry-runs) | {r["firstReconcileRequests"]} | {r["heapUsedMiB"]} ({r["heapOfDoubleMiB"]}) | '
              f'{r["rssMiB"]} ({r["peakRssMiB"]}) | {r["javaOpts"] or "default"} |')
    else:
        print(f'| mock, render + snapshot | {r["objects"]} | {r["kinds"]} | {r["renderPlusSnapshotMsMedian"]} | '
              f'{r["callerCpuMsMedian"]} | {r["processCpuMsMedian"]} (incl. mock server) | '
              f'{r["renderMsMedian"]} / {r["snapshotMsMedian"]} / not measured | '
              f'{r["snapshotHttpRequests"]} HTTP | {r["firstSnapshotHttpRequests"]} HTTP | {r["heapUsedMiB"]} (incl. mock store) | '
              f'{r["rssMiB"]} ({r["peakRssMiB"]}) | {r["javaOpts"] or "default"} |')
PY
