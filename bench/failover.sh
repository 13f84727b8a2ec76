#!/usr/bin/env bash
# Failover benchmark (issue 16): how long a feed following two OpenLDAP multi-provider servers
# takes to follow the second again after the first is killed, resuming content sync from its
# cookie (FeedOptions.resumeAcrossServers, the default) against reading everything again (off).
#
# Usage: nice -n 19 bench/failover.sh [ROUNDS] > report.md     (ROUNDS default 3; progress on stderr)
#   env: GATEWAYS=10000 DIAL_PLANS=100  JAVA_OPTS='...'  KEEP=1 keeps the temp dir
#
# Builds target/bench/umgw.jar (mvn -Pbench), prepares two slapd 2.5 (cn=config as
# src/test/java/org/umgw/testing/Slapd.java, plus olcServerID 1 and 2, an olcSyncrepl to each other
# and olcMultiProvider: TRUE, as src/test/java/org/umgw/testing/SlapdReplication.java), loads
# GATEWAYS gateways + hunt groups into A with slapadd, starts both and waits until B has replicated
# everything (equal contextCSN). Then per round and per mode one JVM of org.umgw.bench.FailoverBench
# follows "A,B", SIGKILLs A after the initial load and times kill -> refresh on B finished; A is
# restarted on its port and the script waits for the two to converge again before the next run.
# Needs java 17, mvn, slapd, slapadd, slapmodify, ldapsearch (.ci/run installs them).
set -euo pipefail

ROUNDS="${1:-3}"
GATEWAYS="${GATEWAYS:-10000}"
DIAL_PLANS="${DIAL_PLANS:-100}"
JAVA_OPTS="${JAVA_OPTS:-}"

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer, not '$ROUNDS'"
[[ "$GATEWAYS" =~ ^[1-9][0-9]*$ ]] || die "GATEWAYS must be a positive integer"
bench_init failover
require_bins java mvn slapd slapadd slapmodify ldapsearch
build_bench_jar
TOP="$WORK"

free_port() {
  local p
  for _ in $(seq 20); do
    p=$((20000 + RANDOM % 40000))
    tcp_in_use "$p" || { echo "$p"; return 0; }
  done
  die "no free port"
}
PORT_A="$(free_port)"
PORT_B="$(free_port)"
[[ "$PORT_A" != "$PORT_B" ]] || PORT_B=$((PORT_A + 1))
URL_A="ldap://$HOST:$PORT_A"
URL_B="ldap://$HOST:$PORT_B"

# --- two providers ------------------------------------------------------------------------
for x in a b; do
  WORK="$TOP/$x"
  mkdir -p "$WORK"
  slapd_setup syncprov entryUUID entryCSN umDialPlanLink
done
PW="$(cat "$TOP/a/rootpw")" # one root password for both, so one bind works on either
cp "$TOP/a/rootpw" "$TOP/rootpw"
replication() { # server id, other's url
  printf 'dn: cn=config\nchangetype: modify\nreplace: olcServerID\nolcServerID: %s\n\n' "$1"
  printf 'dn: olcDatabase={1}mdb,cn=config\nchangetype: modify\nreplace: olcRootPW\nolcRootPW: %s\n' "$PW"
  printf -- '-\nadd: olcSyncrepl\n'
  printf 'olcSyncrepl: rid=%03d provider=%s bindmethod=simple binddn="cn=admin,%s" ' "$1" "$2" "$BASE"
  printf 'credentials=%s searchbase="%s" type=refreshAndPersist retry="1 +" timeout=1\n' "$PW" "$BASE"
  printf -- '-\nreplace: olcMultiProvider\nolcMultiProvider: TRUE\n-\n'
}
replication 1 "$URL_B" >"$TOP/a/repl.ldif"
replication 2 "$URL_A" >"$TOP/b/repl.ldif"
for x in a b; do
  slapmodify -n 0 -F "$TOP/$x/slapd.d" -l "$TOP/$x/repl.ldif" >"$TOP/$x/slapmodify.log" 2>&1 ||
    { cat "$TOP/$x/slapmodify.log" >&2; die "replication config of $x failed"; }
done
log "generating and loading $GATEWAYS gateways + hunt groups, $DIAL_PLANS dial plans into A ..."
WORK="$TOP/a"
bulk_directory_ldif "$GATEWAYS" "$DIAL_PLANS" >"$TOP/data.ldif"
slapd_load "$TOP/data.ldif"
WORK="$TOP"

start_at() { # name, port -> sets PID_<name>
  local dir="$TOP/$1" pid
  slapd -d 0 -F "$dir/slapd.d" -h "ldap://$HOST:$2/" >>"$dir/slapd.log" 2>&1 &
  pid=$!
  on_exit stop_pid "$pid"
  for _ in $(seq 300); do
    kill -0 "$pid" 2>/dev/null || { tail -20 "$dir/slapd.log" >&2; die "slapd $1 exited"; }
    if ldapsearch -x -H "ldap://$HOST:$2" -s base -b "" 1.1 >/dev/null 2>&1; then
      printf -v "PID_$1" '%s' "$pid"
      return 0
    fi
    sleep 0.1
  done
  die "slapd $1 did not come up on port $2"
}
csn() { LDAPCONF=/dev/null LDAPRC=umgw-no-ldaprc ldapsearch -LLL -x -H "$1" -b "$BASE" -s base contextCSN 2>/dev/null | sort; }
converge() {
  local a b
  for _ in $(seq 1200); do
    a="$(csn "$URL_A")"
    b="$(csn "$URL_B")"
    [[ -n "$a" && "$a" == "$b" ]] && return 0
    sleep 0.25
  done
  die "A and B did not converge in 300 s"
}
start_at a "$PORT_A"
start_at b "$PORT_B"
log "waiting for B to replicate everything from A ..."
converge

printf '## Failover benchmark (%s)\n\n' "$(date -u +%Y-%m-%dT%H:%MZ)"
machine_lines
printf -- '- %s; slapd %s, two providers in multi-provider replication on %s and %s\n' \
  "$(java -version 2>&1 | head -1)" "$(slapd_version)" "$URL_A" "$URL_B"
printf -- '- Command: bench/failover.sh %s (GATEWAYS=%s DIAL_PLANS=%s JAVA_OPTS=%q)\n' \
  "$ROUNDS" "$GATEWAYS" "$DIAL_PLANS" "$JAVA_OPTS"
printf -- '- Directory: %s gateways + %s hunt groups + %s dial plans\n\n' \
  "$GATEWAYS" "$GATEWAYS" "$DIAL_PLANS"
printf '| round | cookie across servers | kill -> following B ms | full refreshes on B | gateways | initial load ms |\n'
printf '|---:|---|---:|---:|---:|---:|\n'
val() { sed -n "s/^$1=//p" "$TOP/jvm.out"; }
for round in $(seq "$ROUNDS"); do
  for resume in true false; do
    # shellcheck disable=SC2086
    java $JAVA_OPTS -cp "$JAR" org.umgw.bench.FailoverBench --urls "$URL_A,$URL_B" \
      --base "$BASE" --bind-dn "cn=admin,$BASE" --password-file "$TOP/rootpw" \
      --kill-pid "$PID_a" --resume "$resume" >"$TOP/jvm.out" 2>"$TOP/jvm.err" ||
      { cat "$TOP/jvm.out" "$TOP/jvm.err" >&2; die "FailoverBench failed"; }
    printf '| %s | %s | %s | %s | %s | %s |\n' "$round" \
      "$([[ $resume == true ]] && echo resumed || echo off)" "$(val failover_ms)" \
      "$(val full_refreshes)" "$(val entries)" "$(val initial_ms)"
    wait "$PID_a" 2>/dev/null || true
    start_at a "$PORT_A"
    converge
  done
done
