#!/usr/bin/env bash
# Compares JVM flag sets on the memory benchmark, interleaved (A B A B ...: every set sees the same
# machine load), and prints the median of each figure per set, with the ratio of each set's
# reconcile durations to the first set's. Each SET is LABEL=ENVIRONMENT, the environment given to
# bench/memory/run.sh (shell words, evaluated), for example:
#   KUBECONFIG=... bench/memory/compare.sh OBJECTS ROUNDS \
#     'shipped=' 'xmx128=TIDEMARK_MAX_HEAP=128m' \
#     'defaults=RAW_JAVA=1 JAVA_OPTS="-XX:+ExitOnOutOfMemoryError"'
# The first set is the reference of the ratios. Every run gets its own namespaces and port; raw
# summaries go to bench/memory/results.jsonl (appended), the medians to stdout.
# Time: ROUNDS x sets x one run.sh (about 2.5 minutes a run at 2,000 objects on a quiet machine).
set -euo pipefail
cd "$(dirname "$0")/../.."
objects=${1:?OBJECTS}
rounds=${2:?ROUNDS}
shift 2
[ $# -ge 1 ] || { echo "give at least one LABEL=ENVIRONMENT set" >&2; exit 2; }
out=bench/memory/results.jsonl
tmp=$(mktemp /tmp/tidemark-mem-compare.XXXXXX)
prefix=${NS_PREFIX:-kdeploy-mem}
for round in $(seq 1 "$rounds"); do
  i=0
  for set in "$@"; do
    label=${set%%=*}
    environment=${set#*=}
    i=$((i + 1))
    echo "== round $round, $label ($environment), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    # shellcheck disable=SC2086 # the set's environment is shell words on purpose
    if ! eval "env LABEL=$label NS_PREFIX=$prefix-$round-$i $environment bench/memory/run.sh $objects" >"$tmp.run" 2>&1; then
      echo "run failed: $label round $round" >&2
      tail -15 "$tmp.run" >&2
    fi
    grep -v ' summary ' "$tmp.run" >&2 || true
    grep ' summary ' "$tmp.run" | sed 's/^[^ ]* summary //' | tee -a "$tmp" >>"$out" || true
  done
done
python3 - "$tmp" "$@" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
labels = [s.split("=", 1)[0] for s in sys.argv[2:]]
med = lambda xs: statistics.median(xs) if xs else None
def fig(label):
    rs = [r for r in rows if r["label"] == label]
    polls = [p for r in rs for p in r["poll_ms"] if p is not None]
    return {
        "runs": len(rs),
        "start_rss": med([r["start_rss"] for r in rs]),
        "apply_rss": med([r["apply_rss"] for r in rs]),
        "apply_hwm": med([r["apply_hwm"] for r in rs]),
        "poll_peak_rss": med([r["poll_peak_rss"] for r in rs]),
        "poll_rss": med([r["poll_rss"] for r in rs]),
        "poll_hwm": med([r["poll_hwm"] for r in rs]),
        "live_heap_mib": med([r["live_heap_mib"] for r in rs]),
        "apply_ms": med([r["apply_ms"] for r in rs if r["apply_ms"]]),
        "poll_ms": med(polls),
        "apply_cpu_s": med([r["apply_cpu"] - r["start_cpu"] for r in rs]),
        "gc_s": med([r.get("gc_s", 0) for r in rs]),
        "results": sorted({r["apply_result"] for r in rs}),
        "load": [r["load_before"][0] for r in rs],
    }
figs = {l: fig(l) for l in labels}
ref = figs[labels[0]]
print("| set | runs | RSS after start | after first apply (peak) | peak during polls | after polls (peak) | live heap | first apply ms (x ref) | no-op poll ms (x ref) | apply CPU s | GC s | load 1-min |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for l in labels:
    f = figs[l]
    ratio = lambda k: f"{f[k] / ref[k]:.2f}x" if f[k] and ref[k] else "-"
    print(f"| {l} | {f['runs']} | {f['start_rss']} | {f['apply_rss']} ({f['apply_hwm']}) | {f['poll_peak_rss']} | "
          f"{f['poll_rss']} ({f['poll_hwm']}) | {f['live_heap_mib']} | {f['apply_ms']} ({ratio('apply_ms')}) | "
          f"{f['poll_ms']} ({ratio('poll_ms')}) | {f['apply_cpu_s']} | {f['gc_s']} | {', '.join(f['load'])} |")
PY
rm -f "$tmp" "$tmp.run"
