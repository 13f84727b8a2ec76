#!/usr/bin/env bash
# Live sync benchmark (issue 14): time from `ldapmodify` to a running Kamailio admitting (or
# refusing) the gateway's source address, through `umgw trust-list sync --kamailio-rpc`.
#
# Usage: nice -n 19 bench/sync-kamailio.sh [COUNT] > report.md   (COUNT default 50; progress on
#   stderr)   env: JAVA_OPTS='...'  KEEP=1 keeps the temp dir (data, configs, logs)
#
# Builds target/bench/umgw.jar (mvn -Pbench), starts its own slapd (back_mdb + syncprov, as the
# tests' Slapd) with ldif/sample.ldif, a Kamailio 5.6 on 127.0.0.1 (permissions address_file with
# reload_delta 0, jsonrpcs over xhttp, the route of src/test/java/org/umgw/testing/Kamailio.java:
# 200 when allow_source_address(1), else 403), and `java -jar umgw.jar trust-list sync --format
# kamailio --kamailio-rpc ... --reload-delta 0`. Then org.umgw.bench.SyncAdmitBench links and
# unlinks Spare-Gateway (127.0.0.6) COUNT times with the real ldapmodify, timing from its return to
# the first OPTIONS from 127.0.0.6 that gets the new verdict (asked every 2 ms). Prints Markdown.
# Needs java 17, mvn, slapd, slapadd, ldapadd, ldapmodify, kamailio (.ci/run installs them).
set -euo pipefail

COUNT="${1:-50}"
JAVA_OPTS="${JAVA_OPTS:-}"

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ "$COUNT" =~ ^[1-9][0-9]*$ ]] || die "COUNT must be a positive integer, not '$COUNT'"
bench_init sync-kamailio
require_bins java mvn slapd slapadd ldapadd ldapmodify ldapsearch kamailio
build_bench_jar

slapd_setup syncprov entryUUID entryCSN umDialPlanLink
slapd_start
LDAPCONF=/dev/null LDAPRC=umgw-no-ldaprc ldapadd -x -H "$URL" -D "cn=admin,$BASE" \
  -y "$WORK/rootpw" -f "$ROOT/ldif/sample.ldif" >"$WORK/ldapadd.log" 2>&1 ||
  { cat "$WORK/ldapadd.log" >&2; die "ldapadd of the sample failed"; }
printf '%s\n127.0.0.1 localhost\n' "$(cat "$ROOT/ldif/sample.hosts")" >"$WORK/hosts"

# --- Kamailio --------------------------------------------------------------------------------
MODULES=""
for d in /usr/lib/x86_64-linux-gnu/kamailio/modules /usr/lib/*/kamailio/modules \
  /usr/lib/kamailio/modules; do
  [[ -f "$d/permissions.so" && -f "$d/jsonrpcs.so" ]] && { MODULES=$d; break; }
done
[[ -n "$MODULES" ]] || die "no kamailio modules directory with permissions.so and jsonrpcs.so"
free_port() { local p; while :; do p=$((20000 + RANDOM % 40000)); tcp_in_use "$p" || udp_in_use "$p" || { echo "$p"; return; }; done; }
SIP_PORT=$(free_port)
RPC_PORT=$(free_port)
echo "1 127.0.0.99 32 0 stale" >"$WORK/address.list"
cat >"$WORK/kamailio.cfg" <<CFG
#!KAMAILIO
debug=1
log_stderror=yes
fork=yes
children=2
tcp_children=1
disable_sctp=yes
auto_aliases=no
dns=no
rev_dns=no
listen=udp:$HOST:$SIP_PORT
listen=tcp:$HOST:$RPC_PORT
mpath="$MODULES/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "permissions.so"
loadmodule "xhttp.so"
loadmodule "jsonrpcs.so"
modparam("permissions", "address_file", "$WORK/address.list")
modparam("permissions", "reload_delta", 0)
modparam("jsonrpcs", "transport", 1)
request_route {
  if (method == "ACK") { exit; }
  if (allow_source_address("1")) { sl_send_reply("200", "OK"); } else { sl_send_reply("403", "Forbidden"); }
  exit;
}
event_route[xhttp:request] {
  if (\$hu =~ "^/RPC") { jsonrpc_dispatch(); } else { xhttp_reply("404", "Not Found", "text/plain", ""); }
  exit;
}
CFG
kamailio -DD -E -f "$WORK/kamailio.cfg" -Y "$WORK" -P "$WORK/kamailio.pid" -w "$WORK" -m 32 -M 8 \
  >"$WORK/kamailio.log" 2>&1 &
KAM_PID=$!
on_exit stop_pid "$KAM_PID"
for _ in $(seq 100); do
  kill -0 "$KAM_PID" 2>/dev/null || { cat "$WORK/kamailio.log" >&2; die "kamailio exited"; }
  tcp_in_use "$RPC_PORT" && break
  sleep 0.1
done

# --- umgw trust-list sync --------------------------------------------------------------------
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" trust-list sync --ldap-url "$URL" --bind-dn "cn=admin,$BASE" \
  --bind-password-file "$WORK/rootpw" --base-dn "$BASE" --hosts-file "$WORK/hosts" \
  --dns-server 127.0.0.1:9 --dns-timeout 200 --format kamailio --out "$WORK/address.list" \
  --kamailio-rpc "http://$HOST:$RPC_PORT/RPC" --reload-delta 0 --allow-shrink \
  >"$WORK/sync.out" 2>"$WORK/sync.err" &
SYNC_PID=$!
on_exit stop_pid "$SYNC_PID"
for _ in $(seq 300); do
  kill -0 "$SYNC_PID" 2>/dev/null || { cat "$WORK/sync.err" >&2; die "sync exited"; }
  grep -q "event 9605" "$WORK/sync.err" && break
  sleep 0.1
done
grep -q "event 9605" "$WORK/sync.err" || { cat "$WORK/sync.err" >&2; die "no first reload"; }
log "sync running (pid $SYNC_PID); $COUNT changes ..."

# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$JAR" org.umgw.bench.SyncAdmitBench --kamailio "$HOST:$SIP_PORT" \
  --url "$URL" --base "$BASE" --bind-dn "cn=admin,$BASE" --password-file "$WORK/rootpw" \
  --count "$COUNT" >"$WORK/jvm.out" 2>"$WORK/jvm.err" ||
  { cat "$WORK/jvm.out" "$WORK/jvm.err" "$WORK/sync.err" >&2; die "SyncAdmitBench failed"; }
val() { sed -n "s/^$1=//p" "$WORK/jvm.out"; }
reloads=$(grep -c "event 9605" "$WORK/sync.err" || true)
failed=$(grep -c "event 9602" "$WORK/sync.err" || true)

printf '## Live sync to Kamailio (%s)\n\n' "$(date -u +%Y-%m-%dT%H:%MZ)"
machine_lines
printf -- '- %s; slapd %s (back_mdb + syncprov); %s\n' "$(java -version 2>&1 | head -1)" \
  "$(slapd_version)" "$(kamailio -v 2>/dev/null | head -1)"
printf -- '- Command: bench/sync-kamailio.sh %s (JAVA_OPTS=%q)\n' "$COUNT" "$JAVA_OPTS"
printf -- '- Directory: ldif/sample.ldif; change: add/delete of Spare-Gateway'"'"'s hunt group\n'
printf -- '- Reloads by sync: %s (failed: %s)\n\n' "$reloads" "$failed"
printf '| changes | p50 ms | p90 ms | p99 ms | max ms | min ms |\n|---:|---:|---:|---:|---:|---:|\n'
printf '| %s | %s | %s | %s | %s | %s |\n' "$(val changes)" "$(val p50_ms)" "$(val p90_ms)" \
  "$(val p99_ms)" "$(val max_ms)" "$(val min_ms)"
