#!/usr/bin/env bash
# Initial load benchmark (issue 16): reading a provider-sized directory (100,000 gateways +
# 100,000 hunt groups + 1,000 dial plans) from slapd, three ways, side by side with ldapsearch:
#   - DirectoryStore.readAll(): the paged search (Simple Paged Results, 500 a page) that
#     `trust-list export`, `validate` and the one-shot commands start from, mapped in parallel;
#     and the same search into an EntrySet on the search thread, as readAll did before;
#   - TrustService.start() to its first snapshot: content sync (RFC 4533 refreshAndPersist) from the
#     root DSE, the rule check, the snapshot build (IP literals, so no DNS in the path);
#   - `umgw trust-list export --format kamailio`, the whole CLI process (wall time, max RSS);
# and the references: `ldapsearch -E pr=1000/noprompt` (the same entries and attributes) and
# `ldapsearch -E sync=ro` (a content-sync refresh of the same, as the feed asks for it).
#
# Usage: bench/initial-load.sh [ROUNDS] > report.md     (ROUNDS default 3; progress on stderr)
#   env: GATEWAYS=100000 DIAL_PLANS=1000  READ_HEAP=64m SERVICE_HEAP=1536m (the bounded runs' -Xmx)
#        JAVA_OPTS='...'  KEEP=1 keeps the temp dir (data, slapd.d, logs)
# e.g.   nice -n 19 bench/initial-load.sh 3 > report.md
#
# Builds target/bench/umgw.jar (mvn -Pbench), starts its own slapd 2.5 (back_mdb + syncprov, as
# bench/propagation.sh), loads the generated directory with slapadd -q, runs one untimed pass of
# each reader, then ROUNDS alternating rounds of each, every JVM a fresh one
# (org.umgw.bench.InitialLoadBench: time, process CPU, heap live after GC and retained, pools'
# peak), then each JVM reader once more under a bounded heap (READ_HEAP, SERVICE_HEAP) to show what
# the load really needs. Prints Markdown.
# Needs java 17, mvn, slapd, slapadd, ldapsearch, /usr/bin/time (.ci/run installs them).
set -euo pipefail

ROUNDS="${1:-3}"
GATEWAYS="${GATEWAYS:-100000}"
DIAL_PLANS="${DIAL_PLANS:-1000}"
READ_HEAP="${READ_HEAP:-64m}"
SERVICE_HEAP="${SERVICE_HEAP:-1536m}"
JAVA_OPTS="${JAVA_OPTS:-}"
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer, not '$ROUNDS'"
[[ "$GATEWAYS" =~ ^[1-9][0-9]*$ ]] || die "GATEWAYS must be a positive integer"
(((GATEWAYS + DIAL_PLANS - 1) / DIAL_PLANS <= 200)) ||
  die "$GATEWAYS gateways over $DIAL_PLANS dial plans breaks the 200-gateways-per-plan rule"
bench_init initial-load
require_bins java mvn slapd slapadd ldapsearch /usr/bin/time
build_bench_jar

log "generating $GATEWAYS gateways + $GATEWAYS hunt groups + $DIAL_PLANS dial plans ..."
bulk_directory_ldif "$GATEWAYS" "$DIAL_PLANS" >"$WORK/data.ldif"
slapd_setup syncprov entryUUID entryCSN umDialPlanLink
log "loading with slapadd -q ..."
load_start=$EPOCHREALTIME
slapd_load "$WORK/data.ldif"
load_end=$EPOCHREALTIME
slapd_start
printf '127.0.0.1 localhost\n' >"$WORK/hosts"

# shellcheck disable=SC2206
JAVA=(java $JAVA_OPTS)
read -r -a ATTRIBUTES <<<"$("${JAVA[@]}" -cp "$JAR" org.umgw.bench.DirectoryReadBench --print-attributes)"
FILTER='(|(objectClass=umIPGateway)(objectClass=umHuntGroup)(objectClass=umDialPlan)(objectClass=umServer))'
ENTRIES=$((2 * GATEWAYS + DIAL_PLANS))
EXPECT="$GATEWAYS,$GATEWAYS,$DIAL_PLANS"

ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.1f", v[(NR + 1) / 2]; else printf "%.1f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
m() { printf '%s\n' "$@" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# ldapsearch_ms pr=1000|sync: wall ms of one ldapsearch; checks the entry count.
ldapsearch_ms() {
  local t0 n
  t0=$EPOCHREALTIME
  if [[ $1 == sync ]]; then
    n=$(ldapsearch -x -LLL -H "$URL" -b "$BASE" -E sync=ro "$FILTER" "${ATTRIBUTES[@]}" entryUUID |
      grep -c '^dn:') || true
  else
    n=$(ldapsearch -x -LLL -H "$URL" -b "$BASE" -E "$1/noprompt" "$FILTER" "${ATTRIBUTES[@]}" |
      grep -c '^dn:') || true
  fi
  ((n == ENTRIES)) || die "ldapsearch $1 returned $n entries, expected $ENTRIES"
  ms_since "$t0"
}

# jvm OUT HEAP MODE: one fresh JVM of InitialLoadBench (HEAP empty: the default); key=value lines
# in WORK/OUT, wall ms (java start to exit) in JVM_WALL.
jvm() {
  local out=$1 heap=$2 mode=$3 t0
  JVM_FAILED=""
  local opts=("${JAVA[@]}")
  # Out of heap, a thread dies but the JVM may wait on it: exit instead, and report it.
  [[ -n "$heap" ]] && opts+=("-Xmx$heap" -XX:+ExitOnOutOfMemoryError)
  t0=$EPOCHREALTIME
  if ! "${opts[@]}" -cp "$JAR" org.umgw.bench.InitialLoadBench --mode "$mode" --url "$URL" \
    --base "$BASE" --hosts "$WORK/hosts" --expect "$EXPECT" >"$WORK/$out" 2>"$WORK/$out.err"; then
    cat "$WORK/$out" "$WORK/$out.err" >&2
    # A bounded heap may be too small: that is a result, reported as such.
    [[ -n "$heap" ]] || die "InitialLoadBench --mode $mode failed"
    JVM_FAILED="fails ($(cat "$WORK/$out" "$WORK/$out.err" | grep -m1 -o 'OutOfMemoryError[^,]*' ||
      tail -1 "$WORK/$out.err"))"
    printf 'load_ms=%s\nheap_max_mb=%s\n' "${JVM_FAILED:-fails}" "${heap}" >"$WORK/$out"
  fi
  JVM_WALL=$(ms_since "$t0")
}
val() { sed -n "s/^$2=//p" "$WORK/$1"; }

# export_run HEAP: the CLI's trust-list export, wall ms in EXPORT_WALL, max RSS MB in EXPORT_RSS.
export_run() {
  local opts=("${JAVA[@]}") t0 lines
  [[ -n "$1" ]] && opts+=("-Xmx$1" -XX:+ExitOnOutOfMemoryError)
  t0=$EPOCHREALTIME
  rm -f "$WORK/trust.list"
  if ! /usr/bin/time -f '%M' -o "$WORK/time.out" "${opts[@]}" -cp "$JAR" org.umgw.cli.Main \
    trust-list export --ldap-url "$URL" --base-dn "$BASE" --format kamailio \
    --hosts-file "$WORK/hosts" --dns-server 127.0.0.1:9 --out "$WORK/trust.list" \
    >"$WORK/export.out" 2>"$WORK/export.err"; then
    cat "$WORK/export.out" "$WORK/export.err" >&2
    [[ -n "$1" ]] || die "trust-list export failed"
    EXPORT_WALL="fails ($(cat "$WORK/export.out" "$WORK/export.err" | grep -m1 -o 'OutOfMemoryError[^,]*' ||
      tail -1 "$WORK/export.err"))"
    EXPORT_RSS=$(awk 'END { printf "%.0f", $1 / 1024 }' "$WORK/time.out")
    return 0
  fi
  EXPORT_WALL=$(ms_since "$t0")
  EXPORT_RSS=$(awk 'END { printf "%.0f", $1 / 1024 }' "$WORK/time.out")
  lines=$(grep -c '^[^#]' "$WORK/trust.list") || true
  ((lines >= GATEWAYS)) || die "trust-list export wrote $lines lines for $GATEWAYS gateways"
}

printf '## Initial load benchmark (%s)\n\n' "$(date -u +%Y-%m-%dT%H:%MZ)"
machine_lines
printf -- '- %s; slapd %s (back_mdb + syncprov) on %s\n' "$(java -version 2>&1 | head -1)" \
  "$(slapd_version)" "$URL"
printf -- '- Command: bench/initial-load.sh %s (GATEWAYS=%s DIAL_PLANS=%s READ_HEAP=%s SERVICE_HEAP=%s JAVA_OPTS=%q)\n' \
  "$ROUNDS" "$GATEWAYS" "$DIAL_PLANS" "$READ_HEAP" "$SERVICE_HEAP" "$JAVA_OPTS"
printf -- '- Directory: %s gateways + %s hunt groups + %s dial plans = %s entries (IP literals), %s attributes requested; slapadd -q in %s s\n' \
  "$GATEWAYS" "$GATEWAYS" "$DIAL_PLANS" "$ENTRIES" "${#ATTRIBUTES[@]}" \
  "$(awk -v a="$load_start" -v b="$load_end" 'BEGIN { printf "%.1f", b - a }')"

log "warm-up (not counted) ..."
ldapsearch_ms pr=1000 >/dev/null
jvm warm.out "" read

declare -a LS SY RD RDW RDC RE SV SVW SVC EX EXR
printf '\n### Per round (fresh JVMs; default heap)\n\n'
printf '| round | ldapsearch pr=1000 ms | ldapsearch sync=ro ms | readAll ms | readAll JVM wall ms | readAll CPU ms | EntrySet read ms (before) | TrustService start ms | service JVM wall ms | service CPU ms | trust-list export wall ms | export max RSS MB |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for ((r = 1; r <= ROUNDS; r++)); do
  log "round $r/$ROUNDS ..."
  LS+=("$(ldapsearch_ms pr=1000)")
  jvm read.out "" read
  RD+=("$(val read.out load_ms)") RDW+=("$JVM_WALL") RDC+=("$(val read.out cpu_ms)")
  jvm entryset.out "" read-entryset
  RE+=("$(val entryset.out load_ms)")
  SY+=("$(ldapsearch_ms sync)")
  jvm service.out "" service
  SV+=("$(val service.out load_ms)") SVW+=("$JVM_WALL") SVC+=("$(val service.out cpu_ms)")
  export_run ""
  EX+=("$EXPORT_WALL") EXR+=("$EXPORT_RSS")
  printf '| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$r" "${LS[-1]}" "${SY[-1]}" \
    "${RD[-1]}" "${RDW[-1]}" "${RDC[-1]}" "${RE[-1]}" "${SV[-1]}" "${SVW[-1]}" "${SVC[-1]}" "${EX[-1]}" "${EXR[-1]}"
done
printf '| **median** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** |\n' \
  "$(m "${LS[@]}")" "$(m "${SY[@]}")" "$(m "${RD[@]}")" "$(m "${RDW[@]}")" "$(m "${RDC[@]}")" \
  "$(m "${RE[@]}")" "$(m "${SV[@]}")" "$(m "${SVW[@]}")" "$(m "${SVC[@]}")" "$(m "${EX[@]}")" "$(m "${EXR[@]}")"
LOAD_AFTER_ROUNDS=$(cut -d' ' -f1-3 /proc/loadavg)

log "bounded heaps: readAll -Xmx$READ_HEAP, service -Xmx$SERVICE_HEAP, export -Xmx$SERVICE_HEAP ..."
jvm read-small.out "$READ_HEAP" read
SMALL_READ_WALL=$JVM_WALL
jvm entryset-small.out "$READ_HEAP" read-entryset
SMALL_ENTRYSET_WALL=$JVM_WALL
jvm service-small.out "$SERVICE_HEAP" service
SMALL_SERVICE_WALL=$JVM_WALL
export_run "$SERVICE_HEAP"

row() { # label, file, wall
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$(val "$2" heap_max_mb)" \
    "$(val "$2" load_ms)" "$3" "$(val "$2" gc_count) ($(val "$2" gc_ms) ms)" \
    "$(val "$2" heap_peak_mb)" "$(val "$2" heap_used_after_gc_mb)" "$(val "$2" heap_retained_mb)" \
    "$(val "$2" cpu_ms)"
}
M_LS=$(m "${LS[@]}")
M_SY=$(m "${SY[@]}")
cat <<EOT

Median ratios: readAll / ldapsearch pr=1000 = $(ratio "$(m "${RD[@]}")" "$M_LS"); TrustService start / ldapsearch sync=ro = $(ratio "$(m "${SV[@]}")" "$M_SY"). Load average after the rounds: $LOAD_AFTER_ROUNDS.

### Heap (last default-heap round, then the bounded runs)

| run | max heap MB | load ms | JVM wall ms | collections during the load | heap peak MB | live after GC MB | retained MB | CPU ms |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
EOT
row "readAll, default heap" read.out "${RDW[-1]}"
row "readAll, -Xmx$READ_HEAP" read-small.out "$SMALL_READ_WALL"
row "EntrySet read (before), default heap" entryset.out ""
row "EntrySet read (before), -Xmx$READ_HEAP" entryset-small.out "$SMALL_ENTRYSET_WALL"
row "TrustService start, default heap" service.out "${SVW[-1]}"
row "TrustService start, -Xmx$SERVICE_HEAP" service-small.out "$SMALL_SERVICE_WALL"
printf '| trust-list export, -Xmx%s | | | %s | | | | | |\n' "$SERVICE_HEAP" "$EXPORT_WALL"
printf '\nThe export under -Xmx%s: max RSS %s MB. Heap peak: the heap pools'"'"' peak usage since JVM start, garbage included (it follows the collector'"'"'s sizing, so a bounded -Xmx is what shows the need). Live after GC: everything live after two full GCs with the result (readAll'"'"'s DirectoryRead, or the running TrustService: feed entries, snapshot, pools) held; retained: the difference once it is dropped (the service closed). CPU: the JVM'"'"'s process CPU during the load, all threads (UnboundID'"'"'s reader, mapping, GC, JIT).\n' "$SERVICE_HEAP" "$EXPORT_RSS"
