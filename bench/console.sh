#!/usr/bin/env bash
# Web console benchmark (issue 17): how fast `umgw console` serves its pages over a directory of
# 10,000 gateways (target: every page under 200 ms).
#  - slapd with GATEWAYS gateways (bench/lib.sh bulk_directory_ldif; their addresses moved from
#    10.0.x.y to 127.0.x.y so the console's OPTIONS probes stay on this machine), 50 dial plans.
#  - the console (the shaded jar) follows it with probing on, --anonymous-read.
#  - REQUESTS timed requests of each page with curl (its own time_total: connect to last byte),
#    after a warm-up; p50, p99 and max per page, and the page's size.
#  - Reference, side by side: slapd answering `ldapsearch` for one page of the same entries (the
#    first 50 gateways, which is what the gateways page shows), timed from outside the process like
#    curl's whole run (both include starting the client process).
#
# Usage: bench/console.sh [GATEWAYS] [REQUESTS] > report.md     (progress on stderr)
#   env: KEEP=1 keeps WORK (logs)
# Needs java 17, mvn, slapd, ldap-utils, curl.
set -euo pipefail

GATEWAYS="${1:-10000}"
REQUESTS="${2:-300}"
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ "$GATEWAYS" =~ ^[1-9][0-9]*$ ]] || die "GATEWAYS must be a positive integer, not '$GATEWAYS'"
[[ "$REQUESTS" =~ ^[1-9][0-9]*$ ]] || die "REQUESTS must be a positive integer, not '$REQUESTS'"
bench_init consolebench
require_bins java mvn slapd slapadd ldapsearch curl
build_bench_jar

log "directory: $GATEWAYS gateways, 50 dial plans ..."
slapd_setup syncprov umDialPlanLink
bulk_directory_ldif "$GATEWAYS" 50 | sed 's/^umAddress: 10\.0\./umAddress: 127.0./' >"$WORK/bulk.ldif"
slapd_load "$WORK/bulk.ldif"
slapd_start

CONSOLE_PID=""
on_exit 'stop_pid "$CONSOLE_PID"'
WEB_PORT=""
for _ in 1 2 3 4 5; do
  p=$((20000 + RANDOM % 40000))
  tcp_in_use "$p" || { WEB_PORT=$p; break; }
done
[[ -n "$WEB_PORT" ]] || die "no free port for the console"
java -Xmx1g -jar "$JAR" console --ldap-url "$URL" --bind-dn "cn=admin,$BASE" \
  --bind-password-file "$WORK/rootpw" --base-dn "$BASE" --listen "$HOST:$WEB_PORT" \
  --anonymous-read --dns-server 127.0.0.1:9 --dns-timeout 200 --interval 30 --deadline 1 \
  >"$WORK/console.out" 2>"$WORK/console.err" &
CONSOLE_PID=$!
WEB="http://$HOST:$WEB_PORT"
log "console pid $CONSOLE_PID on $WEB ..."
for _ in $(seq 600); do
  kill -0 "$CONSOLE_PID" 2>/dev/null || { tail -20 "$WORK/console.err" >&2; die "the console exited"; }
  grep -q "umgw console on" "$WORK/console.out" && break
  sleep 0.1
done
grep -q "umgw console on" "$WORK/console.out" || die "the console did not start"
# The snapshot of every gateway, and one health round, before timing.
for _ in $(seq 600); do
  curl -fs "$WEB/gateways?q=gw-$(printf '%05d' $((GATEWAYS - 1)))" | grep -q "gw-$(printf '%05d' $((GATEWAYS - 1)))" &&
    curl -fs "$WEB/gateways" | grep -q 'class="health' && break
  sleep 0.5
done

# stats FILE [SCALE] (one number a line, in seconds, or microseconds with SCALE 0.001):
# "p50 p99 max" in ms.
stats() {
  sort -n "$1" | awk -v scale="${2:-1000}" '{ v[NR] = $1 * scale } END {
    p50 = v[int((NR - 1) * 0.50) + 1]; p99 = v[int((NR - 1) * 0.99) + 1]
    printf "%.1f %.1f %.1f\n", p50, p99, v[NR] }'
}

LAST_PAGE=$(((GATEWAYS + 49) / 50))
declare -A PAGES=(
  ["gateways, page 1"]="/gateways"
  ["gateways, middle page"]="/gateways?page=$((LAST_PAGE / 2))"
  ["gateways, last page"]="/gateways?page=$LAST_PAGE"
  ["gateways, filtered"]="/gateways?q=gw-0999"
  ["one gateway"]="/gateway?name=gw-$(printf '%05d' $((GATEWAYS / 2)))"
  ["trusted peers, page 1"]="/peers"
  ["trusted peers, filtered"]="/peers?q=127.0.13."
  ["dial plans"]="/dial-plans"
  ["events"]="/events"
)
ORDER=("gateways, page 1" "gateways, middle page" "gateways, last page" "gateways, filtered"
  "one gateway" "trusted peers, page 1" "trusted peers, filtered" "dial plans" "events")

log "warm-up ..."
for name in "${ORDER[@]}"; do
  for _ in $(seq 30); do
    curl -fs -o /dev/null "$WEB${PAGES[$name]}" ||
      { tail -20 "$WORK/console.err" >&2; die "GET ${PAGES[$name]} failed (curl exit $?)"; }
  done
done

ROWS=()
for name in "${ORDER[@]}"; do
  log "timing $name ($REQUESTS requests) ..."
  : >"$WORK/t"
  for _ in $(seq "$REQUESTS"); do
    curl -fs -o /dev/null -w '%{time_total}\n' "$WEB${PAGES[$name]}" >>"$WORK/t" ||
      { tail -20 "$WORK/console.err" >&2; die "GET ${PAGES[$name]} failed (curl exit $?)"; }
  done
  size=$(curl -fs "$WEB${PAGES[$name]}" | wc -c)
  read -r p50 p99 max < <(stats "$WORK/t")
  ROWS+=("| $name | \`${PAGES[$name]}\` | $p50 | $p99 | $max | $((size / 1024)) |")
done

# Side by side, both timed from outside their client process.
log "side by side: curl of the gateways page vs ldapsearch of the same 50 entries ..."
: >"$WORK/c"
: >"$WORK/l"
for _ in $(seq "$REQUESTS"); do
  s=$(date +%s%N)
  curl -fs -o /dev/null "$WEB/gateways"
  e=$(date +%s%N)
  echo $(((e - s) / 1000)) >>"$WORK/c"
  s=$(date +%s%N)
  ldapsearch -x -LLL -H "$URL" -b "ou=gateways,$BASE" -s one -z 50 '(objectClass=umIPGateway)' \
    >/dev/null 2>&1 || true
  e=$(date +%s%N)
  echo $(((e - s) / 1000)) >>"$WORK/l"
done
read -r c50 c99 cmax < <(stats "$WORK/c" 0.001)
read -r l50 l99 lmax < <(stats "$WORK/l" 0.001)

{
  echo "### Web console (issue 17): pages at $GATEWAYS gateways"
  echo
  machine_lines
  echo "- slapd $(slapd_version) (back_mdb, syncprov), $GATEWAYS gateways with a Default Hunt Group each, 50 dial plans; the console follows it (syncrepl) and probes every gateway every 30 s"
  echo "- $REQUESTS sequential requests per page after 30 of warm-up, curl's time_total (connect to last byte), in ms"
  echo
  echo "| page | path | p50 ms | p99 ms | max ms | size KiB |"
  echo "| --- | --- | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "Side by side, each timed around its whole client process (so both include starting it):"
  echo
  echo "| what | p50 ms | p99 ms | max ms |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| curl of the console's gateways page (50 rows, health, hunt groups, dial plans) | $c50 | $c99 | $cmax |"
  echo "| ldapsearch of the same 50 gateway entries from slapd | $l50 | $l99 | $lmax |"
}
