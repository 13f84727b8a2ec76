#!/usr/bin/env bash
# Admission under a flood of refusals (issue 12): JMH RefusalFloodBench, -prof gc.
#   quiet         trusted admit, nothing else running (reference)
#   flood         trusted admit while another thread admits refusals from 10,000 sources
#   syncLog       one refusal logged synchronously by the caller (the old behaviour, reference)
# The tear-down lines give, per group, the events passed on to the log against the refusals.
# Usage: bench/refusal-flood.sh   (builds target/bench/umgw.jar with the bench profile)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
echo "building target/bench/umgw.jar ..." >&2
mvn -q -B -ntp -Pbench -Dmaven.test.skip=true package >&2
jar=$(mktemp -d)/umgw-bench.jar
cp target/bench/umgw.jar "$jar"
trap 'rm -rf "$(dirname "$jar")"' EXIT
log=$(mktemp)
# Log lines go to /dev/null (written and formatted, not kept: the sync baseline writes millions).
java -cp "$jar" org.openjdk.jmh.Main RefusalFloodBench -prof gc \
  -jvmArgsAppend -Dorg.slf4j.simpleLogger.logFile=/dev/null >"$log" 2>&1 || { cat "$log"; exit 1; }
echo '```'
grep -E '^Benchmark|^RefusalFloodBench' "$log" | grep -vE 'gc\.(count|time)|churn|norm' || true
grep -E 'refusal bench:' "$log" | sort | uniq -c | sed 's/^ */  /' || true
echo '```'
rm -f "$log"
