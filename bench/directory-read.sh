#!/usr/bin/env bash
# Directory read benchmark (issue 3): umgw's DirectoryStore.readAll() against
# `ldapsearch -E pr=1000/noprompt`, side by side on the same slapd, same entries, same attributes.
#
# Usage: bench/directory-read.sh [ROUNDS] > report.md     (ROUNDS default 5; progress on stderr)
#   env: WARM_UP=5 WARM_REPEATS=5 SMALL_HEAP=16m JAVA_OPTS='...' GATEWAYS=10000 DIAL_PLANS=100
#        KEEP=1 keeps the temp dir (data, slapd.d, logs)
#
# Builds target/bench/umgw.jar (mvn -Pbench: the shaded jar plus bench/java), starts its own slapd
# 2.5 on 127.0.0.1 and a free high port in a temp dir (cn=config built with slapadd -n 0: core,
# cosine, inetorgperson + schema/umgw-openldap.ldif; back_mdb, indexes objectClass and
# umDialPlanLink eq, size limit unlimited), generates the base, the three containers, DIAL_PLANS
# dial plans and GATEWAYS gateways each with one hunt group linked to dial plan (i % DIAL_PLANS),
# loads them offline with slapadd -q, then, after one untimed run of each, alternates ROUNDS times:
#   (a) ldapsearch -x -LLL -E pr=1000/noprompt FILTER ATTRS > /dev/null        (wall clock)
#   (b) a fresh JVM running org.umgw.bench.DirectoryReadBench: DirectoryConnector pool,
#       DirectoryStore.readAll() once, counts checked (wall clock; readAll time and heap measured
#       inside the JVM)
#   (c) the same ldapsearch with pr=500, umgw's page size (for reference)
# then one JVM running readAll WARM_UP + WARM_REPEATS times (a server embedding umgw reads warm)
# and the bare UnboundID paged search WARM_REPEATS times (the LDAP part without mapping), and one
# fresh JVM with -Xmx$SMALL_HEAP. Prints Markdown: per-round table, medians, ratios, heap.
# Needs java 17, mvn, slapd, slapadd, ldapsearch (.ci/run installs them).
set -euo pipefail

ROUNDS="${1:-5}"
WARM_REPEATS="${WARM_REPEATS:-5}"
WARM_UP="${WARM_UP:-5}"
SMALL_HEAP="${SMALL_HEAP:-16m}"
GATEWAYS="${GATEWAYS:-10000}"
DIAL_PLANS="${DIAL_PLANS:-100}"
JAVA_OPTS="${JAVA_OPTS:-}"
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer, not '$ROUNDS'"
[[ "$WARM_REPEATS" =~ ^[1-9][0-9]*$ ]] || die "WARM_REPEATS must be a positive integer"
[[ "$WARM_UP" =~ ^[0-9]+$ ]] || die "WARM_UP must be a non-negative integer"
[[ "$GATEWAYS" =~ ^[1-9][0-9]*$ ]] || die "GATEWAYS must be a positive integer"
bench_init bench
require_bins java mvn slapd slapadd ldapsearch
build_bench_jar
BENCH_MAIN=org.umgw.bench.DirectoryReadBench
# shellcheck disable=SC2206
JAVA_CMD=(java $JAVA_OPTS -cp "$JAR" "$BENCH_MAIN")
read -r -a ATTRIBUTES <<<"$("${JAVA_CMD[@]}" --print-attributes)"
ATTR_COUNT=${#ATTRIBUTES[@]}

# --- data ---------------------------------------------------------------------------------
log "generating $GATEWAYS gateways + $GATEWAYS hunt groups + $DIAL_PLANS dial plans ..."
bulk_directory_ldif "$GATEWAYS" "$DIAL_PLANS" >"$WORK/data.ldif"

# --- slapd --------------------------------------------------------------------------------
slapd_setup umDialPlanLink
log "loading with slapadd -q ..."
load_start=$EPOCHREALTIME
slapd_load "$WORK/data.ldif"
load_end=$EPOCHREALTIME
slapd_start

# --- the two readers ----------------------------------------------------------------------
FILTER='(|(objectClass=umIPGateway)(objectClass=umHuntGroup)(objectClass=umDialPlan)(objectClass=umServer))'
EXPECT="$GATEWAYS,$GATEWAYS,$DIAL_PLANS"

# Wall-clock milliseconds of one ldapsearch with page size $1; fails if it fails.
time_ldapsearch() {
  local t0 t1
  t0=$EPOCHREALTIME
  ldapsearch -x -LLL -H "$URL" -b "$BASE" -E "pr=$1/noprompt" "$FILTER" "${ATTRIBUTES[@]}" \
    >/dev/null || die "ldapsearch failed"
  t1=$EPOCHREALTIME
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) * 1000 }'
}

# Runs the bench JVM with extra args; leaves its key=value output in $WORK/jvm.out and the
# wall-clock milliseconds (JVM start to exit) in JVM_WALL.
run_jvm() {
  local t0 t1
  t0=$EPOCHREALTIME
  "${JAVA_CMD[@]}" --url "$URL" --base "$BASE" --expect "$EXPECT" "$@" >"$WORK/jvm.out" \
    2>"$WORK/jvm.err" || { cat "$WORK/jvm.out" "$WORK/jvm.err" >&2; die "umgw reader failed"; }
  t1=$EPOCHREALTIME
  JVM_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) * 1000 }')
}
val() { sed -n "s/^$1=//p" "$WORK/jvm.out"; }

# Sanity: ldapsearch sees exactly the entries umgw must read (and no page-size trouble).
got=$(ldapsearch -x -LLL -H "$URL" -b "$BASE" -E pr=1000/noprompt "$FILTER" 1.1 | grep -c '^dn:')
((got == 2 * GATEWAYS + DIAL_PLANS)) || die "ldapsearch returned $got entries, expected $((2 * GATEWAYS + DIAL_PLANS))"
bytes=$(ldapsearch -x -LLL -H "$URL" -b "$BASE" -E pr=1000/noprompt "$FILTER" "${ATTRIBUTES[@]}" | wc -c)

printf '## Directory read benchmark (%s)\n\n' "$(date -u +%Y-%m-%dT%H:%MZ)"
machine_lines
printf -- '- %s; %s; slapd %s (back_mdb) on %s\n' "$(java -version 2>&1 | head -1)" \
  "$(ldapsearch -VV 2>&1 | sed -n 's/.*ldapsearch \([0-9][^ ]*\).*/ldapsearch \1/p' | head -1)" \
  "$(slapd_version)" "$URL"
printf -- '- Command: bench/directory-read.sh %s (WARM_UP=%s WARM_REPEATS=%s JAVA_OPTS=%q)\n' \
  "$ROUNDS" "$WARM_UP" "$WARM_REPEATS" "$JAVA_OPTS"

log "warm-up (not counted) ..."
time_ldapsearch 1000 >/dev/null
run_jvm --repeat 1

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.1f", v[(NR + 1) / 2]; else printf "%.1f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
m() { printf '%s\n' "$@" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a - b }'; }
verdict() { awk -v r="$1" 'BEGIN { print (r <= 1.5 ? "meets" : "misses") }'; }

declare -a LS1000 LS500 WALL WALL_RAW READ READ_CPU POOL RETAINED USED PEAK
printf '\n### Per round (alternating; ratios against ldapsearch pr=1000 of the same round)\n\n'
printf '| round | ldapsearch pr=1000 ms | ldapsearch pr=500 ms | umgw JVM wall ms | heap probe ms | umgw pool open ms | umgw readAll ms (cold) | JVM wall / ldapsearch | readAll / ldapsearch | heap retained MB | heap used after GC MB | heap peak MB |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for ((r = 1; r <= ROUNDS; r++)); do
  ls1000=$(time_ldapsearch 1000)
  run_jvm --repeat 1
  ls500=$(time_ldapsearch 500)
  probe=$(val heap_measure_ms)
  # The heap probe (two full GCs after the read) is instrumentation: left out of the JVM wall.
  wall=$(minus "$JVM_WALL" "$probe")
  LS1000+=("$ls1000")
  LS500+=("$ls500")
  WALL+=("$wall")
  WALL_RAW+=("$JVM_WALL")
  READ+=("$(val read_ms_median)")
  READ_CPU+=("$(val read_caller_cpu_ms_median)")
  POOL+=("$(val pool_ms)")
  RETAINED+=("$(val heap_retained_mb)")
  USED+=("$(val heap_used_after_gc_mb)")
  PEAK+=("$(val heap_peak_mb)")
  printf '| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$r" "$ls1000" "$ls500" \
    "$wall" "$probe" "${POOL[-1]}" "${READ[-1]}" "$(ratio "$wall" "$ls1000")" \
    "$(ratio "${READ[-1]}" "$ls1000")" "${RETAINED[-1]}" "${USED[-1]}" "${PEAK[-1]}"
done
HEAP_MAX=$(val heap_max_mb)
GC_DURING=$(val gc_count_during_reads)
M_LS1000=$(m "${LS1000[@]}")
M_LS500=$(m "${LS500[@]}")
M_WALL=$(m "${WALL[@]}")
M_WALL_RAW=$(m "${WALL_RAW[@]}")
M_READ=$(m "${READ[@]}")
M_POOL=$(m "${POOL[@]}")
M_RETAINED=$(m "${RETAINED[@]}")
M_USED=$(m "${USED[@]}")
M_PEAK=$(m "${PEAK[@]}")
printf '| **median** | **%s** | **%s** | **%s** | | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** |\n' \
  "$M_LS1000" "$M_LS500" "$M_WALL" "$M_POOL" "$M_READ" "$(ratio "$M_WALL" "$M_LS1000")" \
  "$(ratio "$M_READ" "$M_LS1000")" "$M_RETAINED" "$M_USED" "$M_PEAK"
printf '\nMedian row: ratios of the medians. JVM wall = java start to exit minus the heap probe (median with it: %s ms).\n' "$M_WALL_RAW"

log "warm: $WARM_UP + $WARM_REPEATS readAll, then $WARM_REPEATS raw searches, in one JVM ..."
run_jvm --warmup "$WARM_UP" --repeat "$WARM_REPEATS" --raw-repeat "$WARM_REPEATS"
WARM_FIRST=$(val warmup_ms)
WARM_ALL=$(val read_ms)
WARM=$(val read_ms_median)
WARM_CPU=$(val read_caller_cpu_ms_median)
RAW_ALL=$(val raw_ms)
RAW=$(val raw_ms_median)
WARM_RETAINED=$(val heap_retained_mb)
WARM_PEAK=$(val heap_peak_mb)

log "small heap: one fresh JVM with -Xmx$SMALL_HEAP ..."
JAVA_CMD_SAVED=("${JAVA_CMD[@]}")
# shellcheck disable=SC2206
JAVA_CMD=(java $JAVA_OPTS "-Xmx$SMALL_HEAP" -cp "$JAR" "$BENCH_MAIN")
run_jvm --repeat 1
JAVA_CMD=("${JAVA_CMD_SAVED[@]}")
SMALL_READ=$(val read_ms_median)
SMALL_GCS=$(val gc_count_during_reads)
SMALL_GC_MS=$(val gc_ms_during_reads)
SMALL_PEAK=$(val heap_peak_mb)

R_WALL=$(ratio "$M_WALL" "$M_LS1000")
R_READ=$(ratio "$M_READ" "$M_LS1000")
R_WARM=$(ratio "$WARM" "$M_LS1000")
cat <<EOF

### Summary

- Entries: $GATEWAYS umIPGateway + $GATEWAYS umHuntGroup + $DIAL_PLANS umDialPlan = $((2 * GATEWAYS + DIAL_PLANS)); $ATTR_COUNT attributes requested; $bytes bytes of LDIF from ldapsearch; loaded with slapadd -q in $(awk -v a="$load_start" -v b="$load_end" 'BEGIN { printf "%.2f", b - a }') s.
- Rounds: $ROUNDS (+1 warm-up of each, not counted). JVM options: '${JAVA_OPTS}' (max heap $HEAP_MAX MB); collections during a cold readAll: $GC_DURING.
- CPU time of the thread calling readAll (it maps the entries; UnboundID's reader thread decodes them): cold $(m "${READ_CPU[@]}") ms, warm $WARM_CPU ms (medians).
- Warm JVM: warm-up reads $WARM_FIRST ms; counted reads $WARM_ALL ms; raw searches $RAW_ALL ms; retained $WARM_RETAINED MB, peak $WARM_PEAK MB.
- Small heap: -Xmx$SMALL_HEAP completes; readAll $SMALL_READ ms, $SMALL_GCS collections ($SMALL_GC_MS ms), peak $SMALL_PEAK MB.

| figure (medians) | ms | ratio to ldapsearch pr=1000 | target <= 1.5x |
|---|---:|---:|---|
| ldapsearch -E pr=1000/noprompt, wall | $M_LS1000 | 1.00 | |
| ldapsearch -E pr=500/noprompt, wall (umgw's page size) | $M_LS500 | $(ratio "$M_LS500" "$M_LS1000") | |
| umgw end to end: fresh JVM, wall (start, pool, readAll, exit) | $M_WALL | $R_WALL | $(verdict "$R_WALL") |
| umgw readAll in a fresh JVM (cold) | $M_READ | $R_READ | $(verdict "$R_READ") |
| umgw readAll in a warm JVM (after $WARM_UP warm-up reads, median of $WARM_REPEATS) | $WARM | $R_WARM | $(verdict "$R_WARM") |
| LDAP part alone: UnboundID paged search, no mapping (warm, median of $WARM_REPEATS) | $RAW | $(ratio "$RAW" "$M_LS1000") | |

Heap (medians, fresh JVM): the DirectoryRead retains $M_RETAINED MB; live after GC $M_USED MB; peak $M_PEAK MB (garbage included: it follows the collector's young-generation sizing, not need).
EOF
