#!/usr/bin/env bash
# No-op reconcile of 20 Helm releases (one chart: Deployment, Service, ConfigMap, PDB, HPA; 101
# objects with the Namespace) on a real API server, interleaved with the same objects as plain
# manifests in another namespace; also the cold render (Helm called 20 times) against the cached
# load. Needs a cluster: KUBECONFIG (or TIDEMARK_IT_KUBECONFIG) and kubectl on PATH.
# Usage: bench/kubernetes/helm.sh [RUNS]      env: MVN_FLAGS (-o), JAVA_OPTS
# Prints one JSON line (medians in ms, ratio = Helm no-op / plain no-op) and the load average.
set -euo pipefail
cd "$(dirname "$0")/../.."
kubeconfig=${TIDEMARK_IT_KUBECONFIG:-${KUBECONFIG:-$HOME/.kube/config}}
mvn -q -B ${MVN_FLAGS--o} -Dspotless.check.skip=true test-compile
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -q -B ${MVN_FLAGS--o} dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >/dev/null
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
java ${JAVA_OPTS:-} -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat "$cp_file")" io.tidemark.bench.HelmBench \
  "$kubeconfig" "${1:-7}" | grep -o '{.*}'
uptime
