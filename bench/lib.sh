# shellcheck shell=bash
# Shared plumbing of the bench scripts; sourced, never run:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Gives: die/log; bench_init (ROOT, WORK, cleanup on exit that stops every server started here and
# removes WORK unless KEEP=1); require_bins; build_bench_jar (JAR); slapd_setup (cn=config for a
# back_mdb database under BASE, optionally with the syncprov overlay, as
# src/test/java/org/umgw/testing/Slapd.java configures it); slapd_start (SLAPD_PID, PORT, URL on a
# free high port of 127.0.0.1); stop_pid; machine_lines (the report's machine header).

BASE="${BASE:-dc=umgw,dc=example}"
HOST=127.0.0.1
BENCH_STOPS=()

die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
log() { printf '%s\n' "$*" >&2; }

# Stops a process: SIGTERM, up to 5 s, then SIGKILL (with its children, e.g. nsd's workers).
stop_pid() {
  local pid=$1 children
  [[ -n "$pid" ]] || return 0
  children="$(pgrep -P "$pid" || true)"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  # shellcheck disable=SC2086
  kill -9 "$pid" $children 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Runs "$@" when the script exits (before WORK is removed), last registered first.
on_exit() { BENCH_STOPS=("$*" "${BENCH_STOPS[@]}"); }

_bench_cleanup() {
  local rc=$? cmd
  for cmd in "${BENCH_STOPS[@]}"; do eval "$cmd" || true; done
  if [[ "${KEEP:-0}" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}

# bench_init NAME: cd to the project root, make WORK, install the exit trap.
bench_init() {
  export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
  ROOT="$(cd "$(dirname "${BASH_SOURCE[1]}")/.." && pwd)"
  cd "$ROOT"
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/umgw-$1-XXXXXX")"
  trap _bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

require_bins() {
  local b
  for b in "$@"; do
    command -v "$b" >/dev/null 2>&1 || die "$b not installed (run .ci/run)"
  done
}

# Builds target/bench/umgw.jar (mvn -Pbench: the shaded jar plus bench/java) and copies it into
# WORK, so that a concurrent `mvn clean` cannot pull it away mid-run: JAR.
build_bench_jar() {
  log "building (mvn -Pbench package) ..."
  mvn -q -Pbench -Dmaven.test.skip=true package >"$WORK/mvn.log" 2>&1 ||
    { cat "$WORK/mvn.log" >&2; die "build failed"; }
  cp target/bench/umgw.jar "$WORK/umgw-bench.jar"
  JAR="$WORK/umgw-bench.jar"
}

# slapd_setup [syncprov] [INDEX...]: cn=config in WORK/slapd.d for an mdb database of BASE with a
# random root password in WORK/rootpw (root DN cn=admin,BASE), extra equality indexes, and the
# syncprov overlay (checkpoint 100 10, session log 10,000) when the first argument is "syncprov".
slapd_setup() {
  local syncprov=no modules=back_mdb s i
  if [[ "${1:-}" == syncprov ]]; then syncprov=yes; modules="back_mdb syncprov"; shift; fi
  for s in $modules; do
    [[ -f /usr/lib/ldap/$s.so ]] || die "/usr/lib/ldap/$s.so missing (slapd package)"
  done
  mkdir -p "$WORK/slapd.d" "$WORK/data"
  head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$WORK/rootpw"
  {
    printf 'dn: cn=config\nobjectClass: olcGlobal\ncn: config\n\n'
    printf 'dn: cn=module{0},cn=config\nobjectClass: olcModuleList\ncn: module{0}\n'
    printf 'olcModulePath: /usr/lib/ldap\n'
    for s in $modules; do printf 'olcModuleLoad: %s\n' "$s"; done
    printf '\ndn: cn=schema,cn=config\nobjectClass: olcSchemaConfig\ncn: schema\n\n'
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
    printf 'olcDbIndex: objectClass eq\n'
    for i in "$@"; do printf 'olcDbIndex: %s eq\n' "$i"; done
    printf 'olcSizeLimit: unlimited\nolcAccess: {0}to * by * read\n\n'
    if [[ $syncprov == yes ]]; then
      printf 'dn: olcOverlay={0}syncprov,olcDatabase={1}mdb,cn=config\nobjectClass: olcOverlayConfig\n'
      printf 'objectClass: olcSyncProvConfig\nolcOverlay: {0}syncprov\nolcSpCheckpoint: 100 10\n'
      printf 'olcSpSessionlog: 10000\n\n'
    fi
  } >"$WORK/config.ldif"
  chmod 600 "$WORK/config.ldif" "$WORK/rootpw"
  slapadd -n 0 -F "$WORK/slapd.d" -l "$WORK/config.ldif" >"$WORK/slapadd-config.log" 2>&1 ||
    { cat "$WORK/slapadd-config.log" >&2; die "slapadd of cn=config failed"; }
}

# bulk_directory_ldif GATEWAYS DIAL_PLANS: LDIF on stdout of the base and containers, the dial plans
# dp-000.. (TelExtn, Unsecured) and the gateways gw-00000.. at 10.a.b.c (IPv4 literals, no DNS;
# gateway g at 10.(g / 62500).((g / 250) % 250).(g % 250 + 1), so the first 62,500 are 10.0.x.y),
# each with a Default Hunt Group on dp-(g mod DIAL_PLANS).
bulk_directory_ldif() {
  ((${1} <= 250 * 250 * 250)) || die "at most 15625000 gateways (addresses 10.a.b.c)"
  awk -v base="$BASE" -v gateways="$1" -v plans="$2" 'BEGIN {
    printf "dn: %s\nobjectClass: top\nobjectClass: domain\ndc: umgw\n\n", base
    n = split("gateways dialplans servers", ous, " ")
    for (i = 1; i <= n; i++)
      printf "dn: ou=%s,%s\nobjectClass: top\nobjectClass: organizationalUnit\nou: %s\n\n", ous[i], base, ous[i]
    for (p = 0; p < plans; p++)
      printf "dn: cn=dp-%03d,ou=dialplans,%s\nobjectClass: top\nobjectClass: umDialPlan\ncn: dp-%03d\n" \
        "umURIType: TelExtn\numNumberOfDigitsInExtension: 5\numVoIPSecurity: Unsecured\n\n", p, base, p
    for (g = 0; g < gateways; g++) {
      gw = sprintf("gw-%05d", g)
      printf "dn: cn=%s,ou=gateways,%s\nobjectClass: top\nobjectClass: umIPGateway\ncn: %s\n" \
        "umAddress: 10.%d.%d.%d\numPort: 5060\numIPAddressFamily: IPv4Only\numStatus: Enabled\n" \
        "umOutcallsAllowed: TRUE\numMessageWaitingIndicatorAllowed: TRUE\numSimulator: FALSE\n" \
        "umDelayedSourcePartyInfoEnabled: FALSE\n\n", gw, base, gw, int(g / 62500), int(g / 250) % 250, g % 250 + 1
      printf "dn: cn=Default Hunt Group,cn=%s,ou=gateways,%s\nobjectClass: top\n" \
        "objectClass: umHuntGroup\ncn: Default Hunt Group\n" \
        "umDialPlanLink: cn=dp-%03d,ou=dialplans,%s\n\n", gw, base, g % plans, base
    }
  }'
}

# slapd_load FILE: bulk-loads LDIF offline (slapadd -q), before slapd_start.
slapd_load() {
  slapadd -q -F "$WORK/slapd.d" -b "$BASE" -l "$1" >"$WORK/slapadd-data.log" 2>&1 ||
    { tail -20 "$WORK/slapadd-data.log" >&2; die "slapadd of the data failed"; }
}

tcp_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
udp_in_use() { [[ -n "$(ss -Hlun "sport = :$1" 2>/dev/null)" ]]; }

# Starts slapd on a free high port (5 attempts): SLAPD_PID, PORT, URL; stopped at exit.
slapd_start() {
  local attempt port
  for attempt in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    tcp_in_use "$port" && continue
    slapd -d 0 -F "$WORK/slapd.d" -h "ldap://$HOST:$port/" >>"$WORK/slapd.log" 2>&1 &
    SLAPD_PID=$!
    for _ in $(seq 150); do
      if ! kill -0 "$SLAPD_PID" 2>/dev/null; then break; fi
      if ldapsearch -x -H "ldap://$HOST:$port" -s base -b "" 1.1 >/dev/null 2>&1; then
        PORT=$port
        URL="ldap://$HOST:$PORT"
        on_exit stop_pid "$SLAPD_PID"
        log "slapd pid $SLAPD_PID on $URL"
        return 0
      fi
      sleep 0.1
    done
    stop_pid "$SLAPD_PID"
    log "slapd did not come up on port $port (attempt $attempt)"
  done
  tail -20 "$WORK/slapd.log" >&2
  die "cannot start slapd"
}

# nsd_conf ADDR PORT ZONE: WORK/nsd.conf for an authoritative nsd 4.6 serving WORK/zones/ZONE.zone on
# ADDR@PORT alone (no chroot, no database, no remote control, response rate limiting off, one
# server process), everything else in WORK. Start it with `nsd -d -c "$WORK/nsd.conf"`.
nsd_conf() {
  cat >"$WORK/nsd.conf" <<EOF
server:
  ip-address: $1@$2
  do-ip6: no
  username: ""
  chroot: ""
  database: ""
  zonesdir: "$WORK/zones"
  zonelistfile: "$WORK/zone.list"
  pidfile: "$WORK/nsd.pid"
  xfrdfile: "$WORK/xfrd.state"
  xfrdir: "$WORK"
  logfile: "$WORK/nsd.log"
  cookie-secret-file: "$WORK/cookiesecrets.txt"
  server-count: 1
  verbosity: 1
  # Debian builds nsd with response rate limiting: 200 answers/s per source by default.
  rrl-ratelimit: 0
  rrl-whitelist-ratelimit: 0
remote-control:
  control-enable: no
zone:
  name: $3
  zonefile: $3.zone
EOF
}

# The report's first lines: machine, and the load before the run.
machine_lines() {
  local cpu
  cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
  printf -- '- Machine: %s cores (nproc), %s, %s MB RAM\n' "$(nproc)" "${cpu:-unknown CPU}" \
    "$(awk '/MemTotal/ { printf "%d", $2 / 1024 }' /proc/meminfo)"
  printf -- '- Load average before the run: %s (other work on the machine skews the figures)\n' \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
}

slapd_version() { slapd -VV 2>&1 | sed -n 's/.*slapd \([0-9.]*\).*/\1/p' | head -1; }
