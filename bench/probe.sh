#!/usr/bin/env bash
# SIP OPTIONS health-probe benchmark (issue 7).
#  1. One round of COUNT probes (default 1,000) from umgw's OptionsProber at one sipp UAS, side by
#     side with sipp itself as UAC sending COUNT OPTIONS to the same UAS (target: umgw <= 1.5x
#     sipp's wall time).
#  2. A HealthMonitor round over COUNT gateways on distinct loopback ports, all alive, then with 10%
#     dead (target: the round ends within the probe deadline + 1 s).
#
# Usage: bench/probe.sh [COUNT] > report.md     (progress on stderr)
#   env: SIPP_RATES="10000 50000" (calls/s of the sipp UAC)  DEADLINE=2 (seconds, step 2)  KEEP=1 keeps logs
#        BUFF=4194304 (sipp -buff_size; our prober asks for the same SO_RCVBUF)
#
# sipp binds one address, so it can stand for one gateway but not 1,000 distinct ones: step 1
# aims COUNT probes at the one sipp UAS (exactly what a round over COUNT gateways sends, minus the
# bookkeeping), and step 2 runs the full HealthMonitor round against an in-process responder with
# one UDP socket per gateway (bench/java/org/umgw/bench/ProbeBench.java).
# Needs java 17, mvn, sipp (.ci/run installs them).
set -euo pipefail

COUNT="${1:-1000}"
SIPP_RATES="${SIPP_RATES:-10000 50000}"
DEADLINE="${DEADLINE:-2}"
BUFF="${BUFF:-4194304}"
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ "$COUNT" =~ ^[1-9][0-9]*$ ]] || die "COUNT must be a positive integer, not '$COUNT'"
bench_init probebench
require_bins java mvn sipp
UAS_PID=""
on_exit 'stop_pid "$UAS_PID"'
build_bench_jar

# The tests' UAS scenario (Sipp.uas), answering 200.
sed 's/@STATUS@/200 OK/' "$ROOT/src/test/resources/sipp/options-uas.xml" >"$WORK/uas.xml"
cat >"$WORK/uac.xml" <<'XML'
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="umgw bench uac">
  <send retrans="500">
    <![CDATA[
OPTIONS sip:probe@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:umgw@[local_ip]:[local_port]>;tag=[pid]-[call_number]
To: <sip:probe@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 OPTIONS
Max-Forwards: 70
User-Agent: umgw
Accept: application/sdp
Content-Length: 0

    ]]>
  </send>
  <recv response="200"/>
</scenario>
XML

udp_port_free() { ! (ss -Hlun "sport = :$1" 2>/dev/null | grep -q .); }
pick_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 40000))
    udp_port_free "$p" && { echo "$p"; return 0; }
  done
  die "no free UDP port"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }

UAS_PORT=$(pick_port)
sipp -sf "$WORK/uas.xml" -t u1 -i "$HOST" -p "$UAS_PORT" -ci "$HOST" -mi "$HOST" -nostdin \
  -buff_size "$BUFF" >"$WORK/uas.log" 2>&1 &
UAS_PID=$!
for _ in $(seq 100); do
  udp_port_free "$UAS_PORT" || break
  kill -0 "$UAS_PID" 2>/dev/null || { cat "$WORK/uas.log" >&2; die "sipp UAS exited"; }
  sleep 0.05
done
udp_port_free "$UAS_PORT" && die "sipp UAS not listening on $HOST:$UAS_PORT"
log "sipp UAS pid $UAS_PID on $HOST:$UAS_PORT"

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
printf '## SIP OPTIONS probe benchmark (%s)\n\n' "$(date -u +%Y-%m-%dT%H:%MZ)"
printf -- '- Machine: %s cores (nproc), %s, %s MB RAM\n' "$(nproc)" "${cpu:-unknown CPU}" \
  "$(awk '/MemTotal/ { printf "%d", $2 / 1024 }' /proc/meminfo)"
printf -- '- %s; %s; net.core.rmem_max %s\n' "$(java -version 2>&1 | head -1)" \
  "$(sipp -v 2>&1 | sed -n 's/^ *\(SIPp v[^ ]*\).*/\1/p' | head -1)" "$(cat /proc/sys/net/core/rmem_max)"
printf -- '- Load average before the run: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf -- '- Command: bench/probe.sh %s (SIPP_RATES="%s" DEADLINE=%s BUFF=%s)\n\n' "$COUNT" \
  "$SIPP_RATES" "$DEADLINE" "$BUFF"

# --- 1. sipp UAC vs OptionsProber, same UAS ------------------------------------------------
# sipp at each rate of SIPP_RATES, 3 runs each; the reference is the fastest rate whose runs all
# succeeded (median of its 3 runs).
val() { sed -n "s/^$1=//p" "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ROWS=""
REF=""
REF_RATE=""
for rate in $SIPP_RATES; do
  runs=()
  ok=1
  for run in 1 2 3; do
    UAC_PORT=$(pick_port)
    start=$(now_ms)
    if sipp -sf "$WORK/uac.xml" -t u1 -i "$HOST" -p "$UAC_PORT" -ci "$HOST" -mi "$HOST" -nostdin \
      -buff_size "$BUFF" -m "$COUNT" -l "$COUNT" -r "$rate" -rp 1000 -timeout 60s \
      "$HOST:$UAS_PORT" >"$WORK/uac-$rate-$run.log" 2>&1; then
      end=$(now_ms)
      runs+=($((end - start)))
    else
      ok=0
      runs+=("failed")
    fi
    log "sipp UAC at $rate/s run $run: ${runs[-1]} ms"
  done
  med=$(printf '%s\n' "${runs[@]}" | grep -v failed | sort -n | sed -n 2p)
  [[ -n "$med" ]] || med="-"
  ROWS+="| sipp UAC, $rate calls/s, 3 runs (all: ${runs[*]}) | $med |"$'\n'
  if [[ $ok == 1 ]] && { [[ -z "$REF" ]] || ((med < REF)); }; then
    REF=$med
    REF_RATE=$rate
  fi
done
[[ -n "$REF" ]] || die "no sipp UAC rate succeeded"
start=$(now_ms)
java -cp "$JAR" org.umgw.bench.ProbeBench sipp "$HOST:$UAS_PORT" "$COUNT" 5 11 >"$WORK/prober.out" \
  2>"$WORK/prober.err" || { cat "$WORK/prober.out" "$WORK/prober.err" >&2; die "ProbeBench sipp failed"; }
end=$(now_ms)
JVM_MS=$((end - start))
FIRST=$(val first_ms "$WORK/prober.out")
WARM=$(val warm_median_ms "$WORK/prober.out")
ROUNDS=$(for r in $(seq 11); do val "round_${r}_ms" "$WORK/prober.out"; done | tr '\n' ' ')

printf '### 1. %s OPTIONS to one sipp UAS over UDP\n\n' "$COUNT"
printf '| sender | wall time ms (median) | vs sipp at %s/s |\n|---|---:|---:|\n' "$REF_RATE"
printf '%s' "$ROWS" | sed "s/ |\$/ | - |/"
printf '| umgw OptionsProber, first round in a fresh JVM (cold JIT) | %s | %s |\n' "$FIRST" \
  "$(ratio "$FIRST" "$REF")"
printf '| umgw OptionsProber, median of rounds 2-11 (all rounds: %s) | %s | %s |\n' "$ROUNDS" "$WARM" \
  "$(ratio "$WARM" "$REF")"
printf '| umgw: whole JVM process (start, 11 rounds with 300 ms pauses, exit) | %s | - |\n\n' "$JVM_MS"
printf 'umgw retransmissions: %s; dropped responses: %s. sipp wall time is the process (start to exit, paced at its -r rate); umgw times are from the first probe sent to the last outcome, in-process. Both sides use %s-byte socket buffers (sipp -buff_size).\n\n' \
  "$(val retransmissions "$WORK/prober.out")" "$(val dropped "$WORK/prober.out")" "$BUFF"

# --- 2. HealthMonitor rounds -----------------------------------------------------------------
printf '### 2. HealthMonitor.runRound over %s gateways (deadline %s s)\n\n' "$COUNT" "$DEADLINE"
printf '| dead gateways | round 1 ms | round 2 ms | round 3 ms | Up | Down | within deadline + 1 s |\n'
printf '|---:|---:|---:|---:|---:|---:|---|\n'
for pct in 0 10; do
  java -cp "$JAR" org.umgw.bench.ProbeBench monitor "$COUNT" "$pct" "$DEADLINE" \
    >"$WORK/monitor-$pct.out" 2>"$WORK/monitor-$pct.err" ||
    { cat "$WORK/monitor-$pct.out" "$WORK/monitor-$pct.err" >&2; die "ProbeBench monitor failed"; }
  f="$WORK/monitor-$pct.out"
  printf '| %s (%s%%) | %s | %s | %s | %s | %s | %s |\n' "$(val dead "$f")" "$pct" \
    "$(val round_1_ms "$f")" "$(val round_2_ms "$f")" "$(val round_3_ms "$f")" \
    "$(val round_3_up "$f")" "$(val round_3_down "$f")" \
    "$(val round_1_within_deadline_plus_1s "$f")/$(val round_2_within_deadline_plus_1s "$f")/$(val round_3_within_deadline_plus_1s "$f")"
done
printf '\nEach row is one JVM: three rounds of HealthMonitor.runRound (Down after 1 failure) against an in-process responder with one UDP socket per live gateway; dead gateways have closed ports (no ICMP reaches an unconnected socket, so they end at the deadline).\n'
