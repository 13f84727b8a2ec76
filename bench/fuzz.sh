#!/usr/bin/env bash
# Fuzzing campaign: runs each Jazzer @FuzzTest target in fuzzing mode for SECONDS_PER_TARGET.
#
#   bench/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 60 s, every target)
#   FUZZ_JOBS=2 bench/fuzz.sh 600                        (two targets at a time; default 1)
#
# TARGET is Class#method as in TARGETS below, or a unique part of it (e.g. "Journal", "#frame").
# Prints one line per target, "TARGET: N executions, C crashes", and exits 1 when any target
# crashed (or could not run). A finding does not end the run (keep_going): each distinct crash
# (by stack trace) is kept, so C counts distinct bugs. Jazzer writes a crashing input into the target's corpus directory,
# src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>, so that the normal `mvn test`
# replays it from then on (regression mode); the new files are listed. Inputs that found new
# coverage go to .cifuzz-corpus/ (not committed) and are reused by the next run.
#
# Runs at nice 19 with a 1 GiB heap per target, product logging at ERROR (a warning per
# malformed input line would otherwise dominate the run). Logs: target/fuzz/<Class>-<method>.log.
# CI never fuzzes: the pom sets JAZZER_FUZZ from -Djazzer.fuzz, empty by default.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TARGETS=(
  org.umgw.sip.SipMessageFuzzTest#parse
  org.umgw.sip.SipMessageFuzzTest#frame
  org.umgw.model.GatewayAddressFuzzTest#parse
  org.umgw.model.GatewayAddressFuzzTest#peerAddress
  org.umgw.directory.EntryMapperFuzzTest#map
  org.umgw.embedded.JournalFuzzTest#read
  org.umgw.embedded.JournalFuzzTest#transaction
  org.umgw.dns.HostsFilesFuzzTest#read
  org.umgw.dns.AnswerReaderFuzzTest#read
)

SECONDS_PER_TARGET="${1:-60}"
[[ "$SECONDS_PER_TARGET" =~ ^[1-9][0-9]*$ ]] || {
  echo "usage: bench/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]" >&2
  exit 2
}
shift || true
JOBS="${FUZZ_JOBS:-1}"
[[ "$JOBS" =~ ^[12]$ ]] || { echo "FUZZ_JOBS is 1 or 2 (the machine is shared)" >&2; exit 2; }

selected=()
if (($# == 0)); then
  selected=("${TARGETS[@]}")
else
  for want in "$@"; do
    matches=()
    for t in "${TARGETS[@]}"; do [[ "$t" == *"$want"* ]] && matches+=("$t"); done
    ((${#matches[@]} > 0)) || { echo "no fuzz target matches '$want'" >&2; exit 2; }
    selected+=("${matches[@]}")
  done
fi

LOGS="$ROOT/target/fuzz"
mkdir -p "$LOGS"
rm -f "$LOGS"/*.result
echo "compiling..." >&2
nice -n 19 mvn -o -q -DskipTests test-compile >"$LOGS/compile.log" 2>&1 || {
  cat "$LOGS/compile.log" >&2
  exit 1
}

# Inputs directory of a target: where Jazzer keeps its crashes.
inputs_dir() {
  local cls=${1%#*} method=${1#*#}
  echo "src/test/resources/${cls//.//}Inputs/$method"
}

# run_target TARGET: fuzzes it; writes its summary line to $LOGS/<name>.result.
run_target() {
  local target=$1 name log dir before after new runs crashes rc
  name="$(echo "${target##*.}" | tr '#' '-')"
  log="$LOGS/$name.log"
  dir="$(inputs_dir "$target")"
  mkdir -p "$dir"
  before="$(ls "$dir" | grep -E '^(crash|timeout|slow-unit|leak)-' | sort || true)"
  rc=0
  JAZZER_FUZZ=1 nice -n 19 mvn -o -B surefire:test \
    -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.fuzz=1 -Djazzer.max_duration="${SECONDS_PER_TARGET}s" \
    -Djazzer.keep_going=100 -Dstyle.color=never \
    -DargLine="-Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=error" >"$log" 2>&1 || rc=$?
  after="$(ls "$dir" | grep -E '^(crash|timeout|slow-unit|leak)-' | sort || true)"
  new="$(comm -13 <(echo "$before") <(echo "$after") | sed '/^$/d')"
  crashes="$(echo -n "$new" | grep -c . || true)"
  runs="$(grep -a -oE 'Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+' || true)"
  if [[ -z "$runs" ]]; then
    runs="$(grep -a -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)"
  fi
  {
    echo "$target: ${runs:-0} executions, $crashes crashes"
    if ((crashes > 0)); then
      echo "$new" | sed "s|^|  new crashing input: $dir/|"
    elif ((rc != 0)); then
      echo "  failed without a crash (exit $rc); see $log"
    fi
  } >"$LOGS/$name.result"
  if ((crashes > 0 || rc != 0)); then return 1; fi
}

status=0
pids=()
names=()
for target in "${selected[@]}"; do
  run_target "$target" &
  pids+=($!)
  names+=("$target")
  if ((${#pids[@]} >= JOBS)); then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done

for target in "${selected[@]}"; do
  cat "$LOGS/$(echo "${target##*.}" | tr '#' '-').result"
done
exit "$status"
