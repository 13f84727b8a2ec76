#!/usr/bin/env bash
# Change propagation benchmark (issue 8): how long an LDAP modify takes to reach a DirectoryFeed
# delivery through slapd's RFC 4533 content sync (syncprov, refreshAndPersist).
#
# Usage: bench/propagation.sh [COUNT] > report.md     (COUNT default 100; progress on stderr)
#   env: PAUSE_MS=75 (between modifications)  COALESCE_MS="30 0" (feed coalescing windows to run)
#        WARMUP=10 (modifications before the COUNT measured ones, in neither latency nor CPU)
#        GATEWAYS=0 (0: ldif/sample.ldif; N: N gateways + N hunt groups + DIAL_PLANS dial plans)
#        DIAL_PLANS=100  FOLLOWERS="1" (TrustService followers per snapshot run, e.g. "1 20")
#        TIMEOUT_S=60 (a change not delivered within it fails the run)
#        JAVA_OPTS='...'  KEEP=1 keeps the temp dir (data, slapd.d, logs)
# e.g.   GATEWAYS=100000 DIAL_PLANS=1000 nice -n 19 bench/propagation.sh
#        GATEWAYS=10000 FOLLOWERS="1 20" COALESCE_MS=30 nice -n 19 bench/propagation.sh
#
# Builds target/bench/umgw.jar (mvn -Pbench: the shaded jar plus bench/java), starts its own slapd
# 2.5 on 127.0.0.1 and a free high port in a temp dir (cn=config built with slapadd -n 0: core,
# cosine, inetorgperson + schema/umgw-openldap.ldif; back_mdb with the syncprov overlay, as
# src/test/java/org/umgw/testing/Slapd.java configures it), loads ldif/sample.ldif with ldapadd,
# then for each coalescing window runs one JVM of org.umgw.bench.PropagationBench: it opens a
# DirectoryConnector pool and DirectoryFeeds.open (content sync is chosen from the root DSE), waits
# for the initial delivery, then on a second connection modifies Contoso-SBC1's (gw-00000's)
# description WARMUP + COUNT times, PAUSE_MS apart, each time timing from the modify response to the
# delivery holding the new value; then the same to the TrustService snapshot swap, with 1 and more
# followers (FOLLOWERS) in one JVM. Prints Markdown: p50/p90/p99/max per run, the initial load time
# and heap, and CPU per change of the follower JVM and of slapd (/proc/PID/stat).
# Needs java 17, mvn, slapd, slapadd, ldapadd (.ci/run installs them).
set -euo pipefail

COUNT="${1:-100}"
PAUSE_MS="${PAUSE_MS:-75}"
WARMUP="${WARMUP:-10}"
FOLLOWERS="${FOLLOWERS:-1}"
TIMEOUT_S="${TIMEOUT_S:-60}"
COALESCE_MS="${COALESCE_MS:-30 0}"
JAVA_OPTS="${JAVA_OPTS:-}"
GATEWAYS="${GATEWAYS:-0}"
DIAL_PLANS="${DIAL_PLANS:-100}"

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ "$COUNT" =~ ^[1-9][0-9]*$ ]] || die "COUNT must be a positive integer, not '$COUNT'"
[[ "$PAUSE_MS" =~ ^[0-9]+$ ]] || die "PAUSE_MS must be a non-negative integer"
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "WARMUP must be a non-negative integer"
for f in $FOLLOWERS; do [[ "$f" =~ ^[1-9][0-9]*$ ]] || die "FOLLOWERS: positive integers, not '$f'"; done
bench_init propagation
require_bins java mvn slapd slapadd ldapadd ldapsearch
build_bench_jar

# --- slapd with syncprov ------------------------------------------------------------------
slapd_setup syncprov entryUUID entryCSN umDialPlanLink
if ((GATEWAYS > 0)); then
  (((GATEWAYS + DIAL_PLANS - 1) / DIAL_PLANS <= 200)) ||
    die "$GATEWAYS gateways over $DIAL_PLANS dial plans breaks the 200-gateways-per-plan rule"
  log "generating and loading $GATEWAYS gateways + hunt groups, $DIAL_PLANS dial plans ..."
  bulk_directory_ldif "$GATEWAYS" "$DIAL_PLANS" >"$WORK/data.ldif"
  slapd_load "$WORK/data.ldif"
  GATEWAY_ARGS=(--gateway gw-00000)
  DATA="$GATEWAYS gateways + $GATEWAYS hunt groups + $DIAL_PLANS dial plans (IP literals)"
fi
slapd_start
if ((GATEWAYS == 0)); then
  LDAPCONF=/dev/null LDAPRC=umgw-no-ldaprc ldapadd -x -H "$URL" -D "cn=admin,$BASE" \
    -y "$WORK/rootpw" -f "$ROOT/ldif/sample.ldif" >"$WORK/ldapadd.log" 2>&1 ||
    { cat "$WORK/ldapadd.log" >&2; die "ldapadd of the sample failed"; }
  GATEWAY_ARGS=(--gateway Contoso-SBC1)
  DATA="ldif/sample.ldif"
fi

printf '## Change propagation benchmark (%s)\n\n' "$(date -u +%Y-%m-%dT%H:%MZ)"
machine_lines
printf -- '- %s; slapd %s (back_mdb + syncprov) on %s\n' "$(java -version 2>&1 | head -1)" \
  "$(slapd_version)" "$URL"
printf -- '- Command: bench/propagation.sh %s (GATEWAYS=%s DIAL_PLANS=%s PAUSE_MS=%s WARMUP=%s COALESCE_MS=%q FOLLOWERS=%q TIMEOUT_S=%s JAVA_OPTS=%q)\n' \
  "$COUNT" "$GATEWAYS" "$DIAL_PLANS" "$PAUSE_MS" "$WARMUP" "$COALESCE_MS" "$FOLLOWERS" "$TIMEOUT_S" "$JAVA_OPTS"
printf -- '- Directory: %s\n\n' "$DATA"
printf '%s\n127.0.0.1 localhost\n' "$(cat "$ROOT/ldif/sample.hosts")" >"$WORK/hosts"
printf '| window ms | mechanism | measured to | followers | changes | p50 ms | p90 ms | p99 ms | max ms | min ms | p99 over all followers ms | initial load ms | heap after load MB | follower CPU ms/change | slapd CPU ms/change |\n'
printf '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
val() { sed -n "s/^$1=//p" "$WORK/jvm.out"; }
run_one() { # window, extra args...
  local window=$1
  shift
  # shellcheck disable=SC2086
  java $JAVA_OPTS -cp "$JAR" org.umgw.bench.PropagationBench --url "$URL" --base "$BASE" \
    --bind-dn "cn=admin,$BASE" --password-file "$WORK/rootpw" --count "$COUNT" \
    --warmup "$WARMUP" --pause-ms "$PAUSE_MS" --coalesce-ms "$window" --slapd-pid "$SLAPD_PID" \
    --timeout-s "$TIMEOUT_S" \
    "${GATEWAY_ARGS[@]}" "$@" >"$WORK/jvm.out" 2>"$WORK/jvm.err" ||
    { cat "$WORK/jvm.out" "$WORK/jvm.err" >&2; die "PropagationBench failed"; }
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$window" \
    "$(val kind)" "$(val target)" "$(val followers)" "$COUNT" "$(val p50_ms)" "$(val p90_ms)" \
    "$(val p99_ms)" "$(val max_ms)" "$(val min_ms)" "$(val all_p99_ms)" "$(val initial_ms)" \
    "$(val heap_initial_used_mb)" "$(val cpu_ms_per_change)" "$(val slapd_cpu_ms_per_change)"
  LOADS+=("$(uptime | sed 's/.*load average: //')")
}
LOADS=()
for window in $COALESCE_MS; do
  log "coalescing window $window ms: $COUNT modifications to the feed ..."
  run_one "$window"
  cp "$WORK/jvm.out" "$WORK/jvm-$window.out"
  for n in $FOLLOWERS; do
    log "coalescing window $window ms: $COUNT modifications to $n TrustService snapshot(s) ..."
    run_one "$window" --snapshot-hosts "$WORK/hosts" --followers "$n"
    cp "$WORK/jvm.out" "$WORK/jvm-$window-snapshot-$n.out"
  done
done
printf '\nLatency: modify response received (System.nanoTime after LDAPConnection.modify returns) to the feed listener receiving the DirectoryRead that holds the new value ("feed delivery"), or to the TrustService swapping in the snapshot that holds it ("TrustService snapshot": feed, rule check, snapshot build); all in the same JVM. With N followers (N TrustServices in one JVM, each with its own pool, feed and persistent search on slapd), p50..min are to the last of the N snapshots, and "p99 over all followers" over every follower'"'"'s snapshot. %s warm-up modifications first, counted nowhere.\n' "$WARMUP"
printf '\nInitial load: JVM start of the pool(s) to the first delivery, or to start() returning with the first snapshot in service (N followers: one after another). Heap after load: live heap after full GCs with the followers held (max heap %s MB). CPU per change: the follower JVM'"'"'s process CPU time (all its threads: feed, rule check, snapshot, GC, JIT; the writer thread'"'"'s own CPU subtracted) and slapd'"'"'s (utime + stime from /proc, 10 ms ticks) over the measured changes, divided by them. Load average after each run: %s.\n' "$(val heap_max_mb)" "$(IFS=";"; echo "${LOADS[*]}")"
