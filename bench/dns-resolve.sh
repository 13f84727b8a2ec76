#!/usr/bin/env bash
# Bulk DNS resolution benchmark (issue 5): umgw's DnsResolver against adnshost (Debian adns-tools),
# side by side on the same nsd, the same names, A and AAAA for each name.
#
# Usage: bench/dns-resolve.sh [ROUNDS] > report.md     (ROUNDS default 5; progress on stderr)
#   env: NAMES=10000 MAX_CONCURRENT=256 ADNS_WINDOW=50 WARM_UP=30 WARM_REPEATS=10
#        JAVA_OPTS='' FAST_JAVA_OPTS='-XX:TieredStopAtLevel=1 -XX:+UseSerialGC'
#        SWEEP=1 (also time other ADNS_WINDOW and MAX_CONCURRENT values, one run each)
#        KEEP=1 keeps the temp dir (zone, names, nsd log, outputs)
#
# Needs root: adnshost can only query port 53, so nsd listens on 127.0.0.2:53 (a loopback address
# nothing else uses; Linux routes all of 127/8 to lo). Builds target/bench/umgw.jar (mvn -Pbench:
# the shaded jar plus bench/java), generates bench.test with NAMES names hNNNNN, each with one A
# (10.x.y.z) and one AAAA (2001:db8::N+1), starts nsd 4 (response rate limiting off) in a temp dir,
# and, after one untimed run of each, alternates ROUNDS times:
#   (a) adnshost -a -f --config "nameserver 127.0.0.2" fed by a small perl co-process that keeps
#       ADNS_WINDOW names in flight and checks every answer: adns sends all queries it reads at
#       once over one socket, and a burst of 20,000 overflows that socket's receive buffer, which
#       turns into 2 s retries (30 s and half the names failing here); the window avoids that;
#       adnshost's default query type, addr, asks A and AAAA for each name;
#   (b) a fresh JVM running org.umgw.bench.DnsResolveBench: DnsResolver with --dns-server
#       127.0.0.2:53, maxConcurrent MAX_CONCURRENT, every name resolved with family Any (A and
#       AAAA at once), every answer checked; wall clock, plus the resolution time inside the JVM;
#   (c) the same JVM with FAST_JAVA_OPTS (C1 only, serial GC: less JIT work for a short run);
# then one JVM resolving all names WARM_UP + WARM_REPEATS times (a server embedding umgw resolves
# warm). Prints Markdown: per-round table, medians, ratios against adnshost (target <= 1.2x).
# Needs java 17, mvn, nsd, nsd-checkzone, adnshost, perl (.ci/run installs them; perl is Essential).
set -euo pipefail

ROUNDS="${1:-5}"
NAMES="${NAMES:-10000}"
MAX_CONCURRENT="${MAX_CONCURRENT:-256}"
ADNS_WINDOW="${ADNS_WINDOW:-50}"
WARM_UP="${WARM_UP:-30}"
WARM_REPEATS="${WARM_REPEATS:-10}"
JAVA_OPTS="${JAVA_OPTS:-}"
FAST_JAVA_OPTS="${FAST_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
SWEEP="${SWEEP:-0}"
NSD_ADDR=127.0.0.2
ZONE=bench.test

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer, not '$ROUNDS'"
[[ "$NAMES" =~ ^[1-9][0-9]*$ ]] && ((NAMES <= 60000)) || die "NAMES must be 1..60000"
[[ "$MAX_CONCURRENT" =~ ^[1-9][0-9]*$ ]] || die "MAX_CONCURRENT must be a positive integer"
[[ "$ADNS_WINDOW" =~ ^[1-9][0-9]*$ ]] || die "ADNS_WINDOW must be a positive integer"
[[ "$WARM_UP" =~ ^[0-9]+$ && "$WARM_REPEATS" =~ ^[1-9][0-9]*$ ]] || die "bad WARM_UP/WARM_REPEATS"
[[ "$(id -u)" == 0 ]] || die "needs root: adnshost only queries port 53, so nsd must listen on $NSD_ADDR:53"
bench_init dnsbench
require_bins java mvn nsd nsd-checkzone adnshost perl
NSD_PID=""
stop_nsd() {
  stop_pid "$NSD_PID"
  NSD_PID=""
}
on_exit stop_nsd
build_bench_jar

# --- zone and names -----------------------------------------------------------------------
log "generating $ZONE with $NAMES names (A + AAAA each) ..."
mkdir -p "$WORK/zones"
awk -v n="$NAMES" -v ns="$NSD_ADDR" -v zone="$ZONE" 'BEGIN {
  printf "$ORIGIN %s.\n$TTL 300\n@ 3600 IN SOA ns hostmaster 1 3600 600 86400 30\n@ NS ns\nns A %s\n", zone, ns
  for (i = 0; i < n; i++)
    printf "h%05d A 10.%d.%d.%d\nh%05d AAAA 2001:db8::%x\n", i, int(i / 65536), int(i / 256) % 256, i % 256, i, i + 1
}' >"$WORK/zones/$ZONE.zone"
awk -v n="$NAMES" -v zone="$ZONE" 'BEGIN { for (i = 0; i < n; i++) printf "h%05d.%s\n", i, zone }' >"$WORK/names.txt"
nsd-checkzone "$ZONE" "$WORK/zones/$ZONE.zone" >"$WORK/checkzone.log" 2>&1 ||
  { cat "$WORK/checkzone.log" >&2; die "nsd-checkzone failed"; }

# --- nsd on 127.0.0.2:53 ------------------------------------------------------------------
port_in_use() { (exec 3<>"/dev/tcp/$NSD_ADDR/53") 2>/dev/null; }
port_in_use && die "something already listens on $NSD_ADDR:53"
nsd_conf "$NSD_ADDR" "53" "$ZONE"
nsd -d -c "$WORK/nsd.conf" >>"$WORK/nsd.out" 2>&1 &
NSD_PID=$!
for _ in $(seq 100); do
  kill -0 "$NSD_PID" 2>/dev/null || { cat "$WORK/nsd.out" "$WORK/nsd.log" >&2 2>/dev/null; die "nsd exited"; }
  adnshost +e --config "nameserver $NSD_ADDR" "h00000.$ZONE" >/dev/null 2>&1 && break
  sleep 0.1
done
adnshost +e --config "nameserver $NSD_ADDR" "h00000.$ZONE" >/dev/null 2>&1 ||
  { cat "$WORK/nsd.log" >&2; die "nsd does not answer on $NSD_ADDR:53"; }
log "nsd pid $NSD_PID on $NSD_ADDR:53"

# --- the two resolvers --------------------------------------------------------------------
# Keeps WINDOW names in flight in `adnshost -a -f` and checks every answer; exit 1 unless all
# names got exactly their A and AAAA.
cat >"$WORK/feed.pl" <<'PERL'
use strict; use warnings; use IPC::Open2; use IO::Handle;
my ($window, $file, @cmd) = @ARGV;
open(my $nf, '<', $file) or die "$file: $!";
chomp(my @names = <$nf>);
my $pid = open2(my $out, my $in, @cmd);
$in->autoflush(1);
my $next = 0;
print $in $names[$next++], "\n" while $next < @names && $next < $window;
close($in) if $next == @names;
my ($ok, $answers) = (0, 0);
while (my $header = <$out>) {            # "<id> <nrrs> <status> ..." then nrrs RR lines
  my ($id, $nrrs, $status) = split / /, $header;
  $answers++;
  my ($i) = $names[$id] =~ /^h(\d+)\./;
  my %want = (sprintf("INET 10.%d.%d.%d", $i >> 16, ($i >> 8) & 255, $i & 255) => 1,
              sprintf("INET6 2001:db8::%x", $i + 1) => 1);
  my $got = 0;
  for (1 .. $nrrs) { (my $rr = <$out>) =~ s/^\S+ A //; chomp $rr; $got++ if delete $want{$rr}; }
  $ok++ if $status eq 'ok' && $got == 2 && !%want && $nrrs == 2;
  if ($next < @names) { print $in $names[$next++], "\n"; close($in) if $next == @names; }
}
waitpid($pid, 0);
print STDERR "adns: names=", scalar(@names), " answers=$answers ok=$ok\n";
exit($ok == @names ? 0 : 1);
PERL

ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }

# Wall-clock milliseconds of adnshost resolving every name with window $1.
time_adns() {
  local t0
  t0=$EPOCHREALTIME
  perl "$WORK/feed.pl" "$1" "$WORK/names.txt" adnshost +e --config "nameserver $NSD_ADDR" -a -f \
    >"$WORK/adns.out" 2>"$WORK/adns.err" || { cat "$WORK/adns.err" >&2; die "adnshost run failed"; }
  ms_since "$t0"
}

# Runs the bench JVM: $1 = JVM options, then bench options. Leaves key=value lines in
# $WORK/jvm.out and the wall-clock milliseconds in JVM_WALL.
run_jvm() {
  local opts=$1 t0
  shift
  t0=$EPOCHREALTIME
  # shellcheck disable=SC2086
  java $opts -cp "$JAR" org.umgw.bench.DnsResolveBench --server "$NSD_ADDR:53" \
    --names "$WORK/names.txt" "$@" >"$WORK/jvm.out" 2>"$WORK/jvm.err" ||
    { cat "$WORK/jvm.out" "$WORK/jvm.err" >&2; die "umgw resolver run failed"; }
  JVM_WALL=$(ms_since "$t0")
}
val() { sed -n "s/^$1=//p" "$WORK/jvm.out"; }

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.1f", v[(NR + 1) / 2]; else printf "%.1f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
m() { printf '%s\n' "$@" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v r="$1" 'BEGIN { print (r <= 1.2 ? "meets" : "misses") }'; }

printf '## DNS resolution benchmark (%s)\n\n' "$(date -u +%Y-%m-%dT%H:%MZ)"
machine_lines
printf -- '- %s; adnshost %s; %s on %s:53 (server-count 1, RRL off)\n' "$(java -version 2>&1 | head -1)" \
  "$(adnshost --version 2>&1 | sed -n "s/.*(GNU adns) \([0-9.]*\).*/\1/p" | head -1)" \
  "$(nsd -v 2>&1 | head -1)" "$NSD_ADDR"
printf -- '- Command: bench/dns-resolve.sh %s (NAMES=%s MAX_CONCURRENT=%s ADNS_WINDOW=%s WARM_UP=%s WARM_REPEATS=%s JAVA_OPTS=%q FAST_JAVA_OPTS=%q)\n' \
  "$ROUNDS" "$NAMES" "$MAX_CONCURRENT" "$ADNS_WINDOW" "$WARM_UP" "$WARM_REPEATS" "$JAVA_OPTS" "$FAST_JAVA_OPTS"

log "warm-up (not counted) ..."
time_adns "$ADNS_WINDOW" >/dev/null
run_jvm "$JAVA_OPTS" --max-concurrent "$MAX_CONCURRENT"

declare -a ADNS WALL RES SETUP START FWALL FRES
printf '\n### Per round (alternating; ratios against adnshost of the same round)\n\n'
printf '| round | adnshost ms | umgw JVM wall ms | JVM start ms | setup ms | resolve ms (in JVM, cold) | JVM wall / adnshost | resolve / adnshost | C1 JVM wall ms | C1 resolve ms | C1 wall / adnshost |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for ((r = 1; r <= ROUNDS; r++)); do
  log "round $r/$ROUNDS ..."
  adns=$(time_adns "$ADNS_WINDOW")
  run_jvm "$JAVA_OPTS" --max-concurrent "$MAX_CONCURRENT"
  wall=$JVM_WALL res=$(val resolve_ms_first) setup=$(val setup_ms) start=$(val jvm_start_ms)
  run_jvm "$FAST_JAVA_OPTS" --max-concurrent "$MAX_CONCURRENT"
  fwall=$JVM_WALL fres=$(val resolve_ms_first)
  ADNS+=("$adns") WALL+=("$wall") RES+=("$res") SETUP+=("$setup") START+=("$start")
  FWALL+=("$fwall") FRES+=("$fres")
  printf '| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$r" "$adns" "$wall" "$start" \
    "$setup" "$res" "$(ratio "$wall" "$adns")" "$(ratio "$res" "$adns")" "$fwall" "$fres" \
    "$(ratio "$fwall" "$adns")"
done
M_ADNS=$(m "${ADNS[@]}")
M_WALL=$(m "${WALL[@]}")
M_RES=$(m "${RES[@]}")
M_FWALL=$(m "${FWALL[@]}")
M_FRES=$(m "${FRES[@]}")
printf '| **median** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** |\n' \
  "$M_ADNS" "$M_WALL" "$(m "${START[@]}")" "$(m "${SETUP[@]}")" "$M_RES" "$(ratio "$M_WALL" "$M_ADNS")" \
  "$(ratio "$M_RES" "$M_ADNS")" "$M_FWALL" "$M_FRES" "$(ratio "$M_FWALL" "$M_ADNS")"
printf '\nMedian row: ratios of the medians. JVM start = JVM uptime when main begins; setup = reading the names and building the DnsResolver; resolve = first resolve call to last answer. C1 = FAST_JAVA_OPTS.\n'

log "warm: $WARM_UP + $WARM_REPEATS passes in one JVM ..."
run_jvm "$JAVA_OPTS" --max-concurrent "$MAX_CONCURRENT" --warmup "$WARM_UP" --repeat "$WARM_REPEATS"
WARM_FIRST=$(val warmup_ms)
WARM_ALL=$(val resolve_ms)
WARM=$(val resolve_ms_median)

if [[ "$SWEEP" == 1 ]]; then
  log "sweep ..."
  printf '\n### Settings sweep (one run each; adnshost window in names, 2 queries each; umgw maxConcurrent in queries)\n\n'
  printf '| adnshost window | wall ms |\n|---:|---:|\n'
  for w in 10 25 50 75 100 150; do
    printf '| %s | %s |\n' "$w" "$(time_adns "$w")"
  done
  printf '\n| umgw maxConcurrent | JVM wall ms | resolve ms (cold) | warm median ms (30 + 5 passes) |\n|---:|---:|---:|---:|\n'
  for mc in 16 32 64 128 256 512 1024; do
    run_jvm "$JAVA_OPTS" --max-concurrent "$mc"
    w1=$JVM_WALL r1=$(val resolve_ms_first)
    run_jvm "$JAVA_OPTS" --max-concurrent "$mc" --warmup 30 --repeat 5
    printf '| %s | %s | %s | %s |\n' "$mc" "$w1" "$r1" "$(val resolve_ms_median)"
  done
fi

R_WALL=$(ratio "$M_WALL" "$M_ADNS")
R_RES=$(ratio "$M_RES" "$M_ADNS")
R_FWALL=$(ratio "$M_FWALL" "$M_ADNS")
R_WARM=$(ratio "$WARM" "$M_ADNS")
cat <<EOF

### Summary

- Names: $NAMES in $ZONE, each with one A and one AAAA: $((2 * NAMES)) queries per run on each side, every answer checked (adnshost: by the perl feeder; umgw: by DnsResolveBench).
- Settings: adnshost window $ADNS_WINDOW names ($((2 * ADNS_WINDOW)) queries) in flight; umgw maxConcurrent $MAX_CONCURRENT queries.
- Warm JVM: warm-up passes $WARM_FIRST ms; counted passes $WARM_ALL ms.

| figure (medians) | ms | ratio to adnshost | target <= 1.2x |
|---|---:|---:|---|
| adnshost -a -f, window $ADNS_WINDOW, wall (perl feeder included) | $M_ADNS | 1.00 | |
| umgw end to end: fresh JVM, wall (start, setup, resolve, exit) | $M_WALL | $R_WALL | $(verdict "$R_WALL") |
| umgw resolution in a fresh JVM (cold, timed inside the JVM) | $M_RES | $R_RES | $(verdict "$R_RES") |
| umgw end to end with C1 only + serial GC ($FAST_JAVA_OPTS) | $M_FWALL | $R_FWALL | $(verdict "$R_FWALL") |
| umgw resolution in a warm JVM (after $WARM_UP passes, median of $WARM_REPEATS) | $WARM | $R_WARM | $(verdict "$R_WARM") |
EOF
