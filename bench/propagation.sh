#!/usr/bin/env bash
# Change propagation benchmark (issue 8): how long an LDAP modify takes to reach a DirectoryFeed
# delivery through slapd's RFC 4533 content sync (syncprov, refreshAndPersist).
#
# Usage: bench/propagation.sh [COUNT] > report.md     (COUNT default 100; progress on stderr)
#   env: PAUSE_MS=75 (between modifications)  COALESCE_MS="30 0" (feed coalescing windows to run)
#        JAVA_OPTS='...'  KEEP=1 keeps the temp dir (data, slapd.d, logs)
#
# Builds target/bench/umgw.jar (mvn -Pbench: the shaded jar plus bench/java), starts its own slapd
# 2.5 on 127.0.0.1 and a free high port in a temp dir (cn=config built with slapadd -n 0: core,
# cosine, inetorgperson + schema/umgw-openldap.ldif; back_mdb with the syncprov overlay, as
# src/test/java/org/umgw/testing/Slapd.java configures it), loads ldif/sample.ldif with ldapadd,
# then for each coalescing window runs one JVM of org.umgw.bench.PropagationBench: it opens a
# DirectoryConnector pool and DirectoryFeeds.open (content sync is chosen from the root DSE), waits
# for the initial delivery, then on a second connection modifies Contoso-SBC1's description COUNT
# times, PAUSE_MS apart, each time timing from the modify response to the delivery holding the new
# value. Prints Markdown: p50/p90/p99/max per window.
# Needs java 17, mvn, slapd, slapadd, ldapadd (.ci/run installs them).
set -euo pipefail

COUNT="${1:-100}"
PAUSE_MS="${PAUSE_MS:-75}"
COALESCE_MS="${COALESCE_MS:-30 0}"
JAVA_OPTS="${JAVA_OPTS:-}"
BASE="dc=umgw,dc=example"
HOST=127.0.0.1

die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
log() { printf '%s\n' "$*" >&2; }

[[ "$COUNT" =~ ^[1-9][0-9]*$ ]] || die "COUNT must be a positive integer, not '$COUNT'"
[[ "$PAUSE_MS" =~ ^[0-9]+$ ]] || die "PAUSE_MS must be a non-negative integer"
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
for b in java mvn slapd slapadd ldapadd ldapsearch; do
  command -v "$b" >/dev/null 2>&1 || die "$b not installed (run .ci/run)"
done
for m in back_mdb syncprov; do
  [[ -f /usr/lib/ldap/$m.so ]] || die "/usr/lib/ldap/$m.so missing (slapd package)"
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/umgw-bench-XXXXXX")"
SLAPD_PID=""
cleanup() {
  local rc=$?
  if [[ -n "$SLAPD_PID" ]] && kill -0 "$SLAPD_PID" 2>/dev/null; then
    kill "$SLAPD_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SLAPD_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SLAPD_PID" 2>/dev/null || true
  fi
  if [[ "${KEEP:-0}" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build --------------------------------------------------------------------------------
log "building (mvn -Pbench package) ..."
mvn -q -Pbench -Dmaven.test.skip=true package >"$WORK/mvn.log" 2>&1 ||
  { cat "$WORK/mvn.log" >&2; die "build failed"; }
cp target/bench/umgw.jar "$WORK/umgw-bench.jar"
JAR="$WORK/umgw-bench.jar"

# --- slapd with syncprov ------------------------------------------------------------------
mkdir -p "$WORK/slapd.d" "$WORK/data"
head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$WORK/rootpw"
{
  printf 'dn: cn=config\nobjectClass: olcGlobal\ncn: config\n\n'
  printf 'dn: cn=module{0},cn=config\nobjectClass: olcModuleList\ncn: module{0}\n'
  printf 'olcModulePath: /usr/lib/ldap\nolcModuleLoad: back_mdb\nolcModuleLoad: syncprov\n\n'
  printf 'dn: cn=schema,cn=config\nobjectClass: olcSchemaConfig\ncn: schema\n\n'
  for s in core cosine inetorgperson; do
    [[ -f /etc/ldap/schema/$s.ldif ]] || die "/etc/ldap/schema/$s.ldif missing"
    printf 'include: file:///etc/ldap/schema/%s.ldif\n\n' "$s"
  done
  printf 'include: file://%s\n\n' "$ROOT/schema/umgw-openldap.ldif"
  printf 'dn: olcDatabase={-1}frontend,cn=config\nobjectClass: olcDatabaseConfig\n'
  printf 'objectClass: olcFrontendConfig\nolcDatabase: {-1}frontend\nolcSizeLimit: unlimited\n\n'
  printf 'dn: olcDatabase={0}config,cn=config\nobjectClass: olcDatabaseConfig\n'
  printf 'olcDatabase: {0}config\nolcAccess: {0}to * by * none\n\n'
  printf 'dn: olcDatabase={1}mdb,cn=config\nobjectClass: olcDatabaseConfig\nobjectClass: olcMdbConfig\n'
  printf 'olcDatabase: {1}mdb\nolcDbDirectory: %s\nolcSuffix: %s\n' "$WORK/data" "$BASE"
  printf 'olcRootDN: cn=admin,%s\nolcRootPW: %s\nolcDbMaxSize: 1073741824\n' "$BASE" "$(cat "$WORK/rootpw")"
  printf 'olcDbIndex: objectClass eq\nolcDbIndex: entryUUID eq\nolcDbIndex: entryCSN eq\n'
  printf 'olcSizeLimit: unlimited\nolcAccess: {0}to * by * read\n\n'
  printf 'dn: olcOverlay={0}syncprov,olcDatabase={1}mdb,cn=config\nobjectClass: olcOverlayConfig\n'
  printf 'objectClass: olcSyncProvConfig\nolcOverlay: {0}syncprov\nolcSpCheckpoint: 100 10\n'
  printf 'olcSpSessionlog: 10000\n\n'
} >"$WORK/config.ldif"
chmod 600 "$WORK/config.ldif" "$WORK/rootpw"
slapadd -n 0 -F "$WORK/slapd.d" -l "$WORK/config.ldif" >"$WORK/slapadd-config.log" 2>&1 ||
  { cat "$WORK/slapadd-config.log" >&2; die "slapadd of cn=config failed"; }

port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
start_slapd() {
  local attempt port
  for attempt in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" && continue
    slapd -d 0 -F "$WORK/slapd.d" -h "ldap://$HOST:$port/" >>"$WORK/slapd.log" 2>&1 &
    SLAPD_PID=$!
    for _ in $(seq 150); do
      if ! kill -0 "$SLAPD_PID" 2>/dev/null; then break; fi
      if ldapsearch -x -H "ldap://$HOST:$port" -s base -b "" 1.1 >/dev/null 2>&1; then
        PORT=$port
        return 0
      fi
      sleep 0.1
    done
    kill "$SLAPD_PID" 2>/dev/null || true
    wait "$SLAPD_PID" 2>/dev/null || true
    SLAPD_PID=""
    log "slapd did not come up on port $port (attempt $attempt)"
  done
  tail -20 "$WORK/slapd.log" >&2
  die "cannot start slapd"
}
start_slapd
URL="ldap://$HOST:$PORT"
log "slapd pid $SLAPD_PID on $URL"
LDAPCONF=/dev/null LDAPRC=umgw-no-ldaprc ldapadd -x -H "$URL" -D "cn=admin,$BASE" -y "$WORK/rootpw" \
  -f "$ROOT/ldif/sample.ldif" >"$WORK/ldapadd.log" 2>&1 ||
  { cat "$WORK/ldapadd.log" >&2; die "ldapadd of the sample failed"; }

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
printf '## Change propagation benchmark (%s)\n\n' "$(date -u +%Y-%m-%dT%H:%MZ)"
printf -- '- Machine: %s cores (nproc), %s, %s MB RAM\n' "$(nproc)" "${cpu:-unknown CPU}" \
  "$(awk '/MemTotal/ { printf "%d", $2 / 1024 }' /proc/meminfo)"
printf -- '- %s; slapd %s (back_mdb + syncprov) on %s\n' "$(java -version 2>&1 | head -1)" \
  "$(slapd -VV 2>&1 | sed -n 's/.*slapd \([0-9.]*\).*/\1/p' | head -1)" "$URL"
printf -- '- Load average before the run: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf -- '- Command: bench/propagation.sh %s (PAUSE_MS=%s COALESCE_MS=%q JAVA_OPTS=%q)\n\n' \
  "$COUNT" "$PAUSE_MS" "$COALESCE_MS" "$JAVA_OPTS"
printf '%s\n127.0.0.1 localhost\n' "$(cat "$ROOT/ldif/sample.hosts")" >"$WORK/hosts"
printf '| coalescing window ms | mechanism | measured to | modifications | p50 ms | p90 ms | p99 ms | max ms | min ms | initial load ms |\n'
printf '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|\n'
val() { sed -n "s/^$1=//p" "$WORK/jvm.out"; }
run_one() { # window, extra args...
  local window=$1
  shift
  # shellcheck disable=SC2086
  java $JAVA_OPTS -cp "$JAR" org.umgw.bench.PropagationBench --url "$URL" --base "$BASE" \
    --bind-dn "cn=admin,$BASE" --password-file "$WORK/rootpw" --count "$COUNT" \
    --pause-ms "$PAUSE_MS" --coalesce-ms "$window" "$@" >"$WORK/jvm.out" 2>"$WORK/jvm.err" ||
    { cat "$WORK/jvm.out" "$WORK/jvm.err" >&2; die "PropagationBench failed"; }
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$window" "$(val kind)" \
    "$(val target)" "$COUNT" "$(val p50_ms)" "$(val p90_ms)" "$(val p99_ms)" "$(val max_ms)" \
    "$(val min_ms)" "$(val initial_ms)"
}
for window in $COALESCE_MS; do
  log "coalescing window $window ms: $COUNT modifications to the feed ..."
  run_one "$window"
  cp "$WORK/jvm.out" "$WORK/jvm-$window.out"
  log "coalescing window $window ms: $COUNT modifications to the TrustService snapshot ..."
  run_one "$window" --snapshot-hosts "$WORK/hosts"
  cp "$WORK/jvm.out" "$WORK/jvm-$window-snapshot.out"
done
printf '\nLatency: modify response received (System.nanoTime after LDAPConnection.modify returns) to the feed listener receiving the DirectoryRead that holds the new value ("feed delivery"), or to the TrustService swapping in the snapshot that holds it ("TrustService snapshot": feed, rule check over the whole directory, snapshot build); all in the same JVM.\n'
