#!/usr/bin/env bash
# Incremental application (issue 16): the work per directory change at 1,000 and 100,000 gateways
# (one hunt group each, 100 per dial plan), from the feed's delta through the policy to the
# published snapshot, with -prof gc (time and bytes allocated per change: "CPU per change"); the
# full rebuild beside it; and the heap retained after the initial load of 100,000.
# Usage: bench/incremental.sh   (nice it on a shared machine: nice -n 19 bench/incremental.sh)
#   QUICK=1 shortens the JMH iterations (-wi 2 -i 3 -r 1s).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init incremental
build_bench_jar

jmh_args=()
if [[ "${QUICK:-0}" == 1 ]]; then
  jmh_args=(-wi 2 -i 3 -w 1s -r 1s)
fi

echo "## Per change and full build (JMH, -prof gc)"
echo
echo '```'
java -cp "$JAR" org.openjdk.jmh.Main IncrementalBench -prof gc "${jmh_args[@]}" 2>&1 \
  | grep -E '^Benchmark|^IncrementalBench' | grep -vE 'gc\.(count|time)|churn'
echo '```'
echo
echo "## Heap after the initial load"
echo
for n in 1000 100000; do
  java -Xmx3g -cp "$JAR" org.umgw.bench.IncrementalBench "$n"
done
