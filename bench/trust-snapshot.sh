#!/usr/bin/env bash
# Trust snapshot benchmarks (issue 5):
#  1. JMH: TrustSnapshot.lookup on a 20,000-IP snapshot beside HashSet<InetAddress>.contains over
#     the same addresses, in the same run, with -prof gc (targets: <= 25 ns/op, 0 B/op).
#  2. Heap retained by the snapshot of a 100,000-gateway directory (target: <= 150 MB).
# Usage: bench/trust-snapshot.sh   (builds target/bench/umgw.jar with the bench profile)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
echo "building target/bench/umgw.jar ..." >&2
mvn -q -B -ntp -Pbench -Dmaven.test.skip=true package >&2
jar=$(mktemp -d)/umgw-bench.jar
cp target/bench/umgw.jar "$jar"
trap 'rm -rf "$(dirname "$jar")"' EXIT

echo "## Lookup (JMH, -prof gc)"
echo
echo '```'
java -cp "$jar" org.openjdk.jmh.Main LookupBench -prof gc 2>&1 \
  | grep -E '^Benchmark|^LookupBench' | grep -vE 'gc\.(count|time)|churn'
echo '```'
echo
echo "## Heap of a 100,000-gateway snapshot"
echo
for i in 1 2 3; do
  java -cp "$jar" org.umgw.bench.SnapshotHeapBench 100000
done
