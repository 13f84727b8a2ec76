#!/usr/bin/env bash
# Nightly export benchmark (issue 6): `umgw trust-list export` of 10,000 gateways from slapd, names
# resolved through nsd, end to end including JVM start (target <= 5 s per run on the 2-core
# benchmark machine), for the formats text, json, kamailio and nftables.
#
# Usage: bench/export.sh [ROUNDS] > report.md     (ROUNDS default 3; progress on stderr)
#   env: GATEWAYS=10000 DIAL_PLANS=100 FORMATS='text json kamailio nftables'
#        JAVA_OPTS='' FAST_JAVA_OPTS='-XX:TieredStopAtLevel=1 -XX:+UseSerialGC'
#        TARGET_MS=5000 KEEP=1 (keeps the temp dir: LDIF, zone, outputs, logs)
#
# Builds target/bench/umgw.jar (mvn -Pbench: the shaded jar, same Main-Class as target/umgw.jar)
# and copies it to the temp dir. Starts its own slapd on 127.0.0.1:<free port> (cn=config built
# with slapadd -n 0 as in bench/directory-read.sh: core, cosine, inetorgperson +
# schema/umgw-openldap.ldif, back_mdb, anonymous read) loaded with slapadd -q, and its own nsd 4 on
# 127.0.0.1:<free port> (as in bench/dns-resolve.sh: server-count 1, RRL off) serving bench.test.
#
# Data (dc=umgw,dc=example): DIAL_PLANS dial plans, GATEWAYS gateways gw-NNNNN, each with one hunt
# group "Default Hunt Group" linked to dial plan (i % DIAL_PLANS) (100 gateways per plan with the
# defaults, inside the 200-per-plan rule):
#   - even i: addressed by FQDN gw-NNNNN.bench.test, port 5061, in an even (SIPSecured, TLS) plan;
#     i % 4 == 0 IPv4Only (one A record), i % 4 == 2 Any (one A and one AAAA record), TTL 300;
#   - odd i: an IPv4 literal 10.1.x.y, port 5060, IPv4Only, in an odd (Unsecured) plan;
#   - every 50th gateway NoNewCalls (stays in the allow-lists), the rest Enabled.
# With the defaults: 10,000 IPv4 addresses (5,000 literals + 5,000 A) and 2,500 IPv6 (AAAA).
#
# Timed, ROUNDS times each, alternating formats within a round (wall clock with $EPOCHREALTIME from
# `java` start to exit):
#   java -jar JAR trust-list export --format F --out FILE --ldap-url ldap://127.0.0.1:PORT
#     --base-dn dc=umgw,dc=example --dns-server 127.0.0.1:NSDPORT --hosts-file /dev/null
#     --allow-shrink
# every run checked: exit 0, and the addresses of FILE equal the expected set exactly. Reference
# points, same rounds: `java -jar JAR --version` (JVM + picocli start), ldapsearch of the same
# entries, `umgw validate` (JVM start + directory read + rules, no DNS), and the kamailio export
# with FAST_JAVA_OPTS. Then: the export of the embedded sample directory (--data-dir in the temp
# dir, ROUNDS times per format), `nft -c -f` on the nftables output (root only), the peak RSS of a
# json export (with /usr/bin/time), and the shrink guard (export again without --allow-shrink:
# written; then nsd stopped: refused, exit 1, file untouched).
# Needs java 17, mvn, slapd, slapadd, ldapsearch, nsd, nsd-checkzone, perl (.ci/run installs them),
# nft for the syntax check. Contacts 127.0.0.1 only; never the system resolver.
set -euo pipefail

ROUNDS="${1:-3}"
GATEWAYS="${GATEWAYS:-10000}"
DIAL_PLANS="${DIAL_PLANS:-100}"
FORMATS="${FORMATS:-text json kamailio nftables}"
JAVA_OPTS="${JAVA_OPTS:-}"
FAST_JAVA_OPTS="${FAST_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
TARGET_MS="${TARGET_MS:-5000}"
ZONE=bench.test

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer, not '$ROUNDS'"
[[ "$GATEWAYS" =~ ^[1-9][0-9]*$ ]] && ((GATEWAYS % 4 == 0 && GATEWAYS <= 62500)) ||
  die "GATEWAYS must be a multiple of 4, at most 62500"
[[ "$DIAL_PLANS" =~ ^[1-9][0-9]*$ ]] && ((DIAL_PLANS % 2 == 0)) || die "DIAL_PLANS must be even"
(((GATEWAYS + DIAL_PLANS - 1) / DIAL_PLANS <= 200)) ||
  die "$GATEWAYS gateways over $DIAL_PLANS dial plans breaks the 200-gateways-per-plan rule"
for f in $FORMATS; do
  [[ "$f" =~ ^(text|json|kamailio|nftables)$ ]] || die "FORMATS: '$f' is not checked by this script"
done
bench_init exportbench
require_bins java mvn slapd slapadd ldapsearch nsd nsd-checkzone perl
perl -MJSON::PP -e 1 2>/dev/null || die "perl JSON::PP missing (a core module)"
NSD_PID=""
stop_nsd() {
  stop_pid "$NSD_PID"
  NSD_PID=""
}
on_exit stop_nsd
SCRIPT_START=$EPOCHREALTIME
build_bench_jar

log "generating $DIAL_PLANS dial plans, $GATEWAYS gateways + hunt groups, zone $ZONE ..."
mkdir -p "$WORK/zones" "$WORK/out"
# One awk writes the LDIF, the zone and the sorted list of addresses every export must admit.
awk -v base="$BASE" -v gateways="$GATEWAYS" -v plans="$DIAL_PLANS" -v zone="$ZONE" \
  -v ldif="$WORK/data.ldif" -v zfile="$WORK/zones/$ZONE.zone" -v exp4="$WORK/expected-v4.txt" \
  -v exp6="$WORK/expected-v6.txt" 'BEGIN {
  printf "dn: %s\nobjectClass: top\nobjectClass: domain\ndc: umgw\n\n", base > ldif
  n = split("gateways dialplans servers", ous, " ")
  for (i = 1; i <= n; i++)
    printf "dn: ou=%s,%s\nobjectClass: top\nobjectClass: organizationalUnit\nou: %s\n\n", ous[i], base, ous[i] > ldif
  for (p = 0; p < plans; p++) {
    # even plans: TLS (their gateways are all FQDNs on 5061); odd plans: Unsecured, TelExtn or E164
    sec = p % 2 == 0 ? "SIPSecured" : "Unsecured"
    uri = p % 4 == 3 ? "E164" : "TelExtn"
    printf "dn: cn=dp-%03d,ou=dialplans,%s\nobjectClass: top\nobjectClass: umDialPlan\ncn: dp-%03d\n" \
      "umURIType: %s\numNumberOfDigitsInExtension: 5\numVoIPSecurity: %s\n", p, base, p, uri, sec > ldif
    if (uri == "E164") printf "umCountryOrRegionCode: 1\n" > ldif
    printf "\n" > ldif
  }
  printf "$ORIGIN %s.\n$TTL 300\n@ 3600 IN SOA ns hostmaster 1 3600 600 86400 30\n@ NS ns\nns A 127.0.0.1\n", zone > zfile
  for (g = 0; g < gateways; g++) {
    gw = sprintf("gw-%05d", g)
    k = int(g / 2)
    if (g % 2 == 0) {
      addr = gw "." zone; port = 5061; fam = g % 4 == 0 ? "IPv4Only" : "Any"
      v4 = sprintf("10.2.%d.%d", int(k / 250), k % 250 + 1)
      printf "%s A %s\n", gw, v4 > zfile
      if (fam == "Any") {
        v6 = sprintf("2001:db8::%x", k + 1)
        printf "%s AAAA %s\n", gw, v6 > zfile
        print v6 > exp6
      }
    } else {
      v4 = sprintf("10.1.%d.%d", int(k / 250), k % 250 + 1)
      addr = v4; port = 5060; fam = "IPv4Only"
    }
    print v4 > exp4
    printf "dn: cn=%s,ou=gateways,%s\nobjectClass: top\nobjectClass: umIPGateway\ncn: %s\n" \
      "umAddress: %s\numPort: %d\numIPAddressFamily: %s\numStatus: %s\n" \
      "umOutcallsAllowed: TRUE\numMessageWaitingIndicatorAllowed: TRUE\numSimulator: FALSE\n" \
      "umDelayedSourcePartyInfoEnabled: FALSE\n\n", gw, base, gw, addr, port, fam,
      (g % 50 == 49 ? "NoNewCalls" : "Enabled") > ldif
    printf "dn: cn=Default Hunt Group,cn=%s,ou=gateways,%s\nobjectClass: top\n" \
      "objectClass: umHuntGroup\ncn: Default Hunt Group\n" \
      "umDialPlanLink: cn=dp-%03d,ou=dialplans,%s\n\n", gw, base, g % plans, base > ldif
  }
}'
sort -o "$WORK/expected-v4.txt" "$WORK/expected-v4.txt"
sort -o "$WORK/expected-v6.txt" "$WORK/expected-v6.txt"
cat "$WORK/expected-v4.txt" "$WORK/expected-v6.txt" | sort >"$WORK/expected.txt"
EXP_V4=$(wc -l <"$WORK/expected-v4.txt")
EXP_V6=$(wc -l <"$WORK/expected-v6.txt")
EXP_ALL=$((EXP_V4 + EXP_V6))
FQDNS=$((GATEWAYS / 2))
nsd-checkzone "$ZONE" "$WORK/zones/$ZONE.zone" >"$WORK/checkzone.log" 2>&1 ||
  { cat "$WORK/checkzone.log" >&2; die "nsd-checkzone failed"; }

# --- slapd --------------------------------------------------------------------------------
slapd_setup umDialPlanLink
log "loading with slapadd -q ..."
slapd_load "$WORK/data.ldif"
slapd_start

cat >"$WORK/dnsprobe.pl" <<'PERL'
use strict; use warnings; use IO::Socket::INET;
my ($port, $name) = @ARGV;
my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port, Proto => 'udp') or exit 2;
my $q = pack('n6', 0x4242, 0x0100, 1, 0, 0, 0)
  . join('', map { chr(length $_) . $_ } split /\./, $name) . "\0" . pack('n2', 1, 1);
$s->send($q) or exit 1;
my $rin = ''; vec($rin, fileno($s), 1) = 1;
select(my $rout = $rin, undef, undef, 0.5) or exit 1;
defined $s->recv(my $buf, 4096) or exit 1;
my ($id, $flags, $qd, $an) = unpack('n4', $buf);
exit($id == 0x4242 && ($flags & 0xF) == 0 && $an >= 1 ? 0 : 1);
PERL
start_nsd() {
  local attempt port
  for attempt in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    { tcp_in_use "$port" || udp_in_use "$port"; } && continue
    nsd_conf "$HOST" "$port" "$ZONE"
    nsd -d -c "$WORK/nsd.conf" >>"$WORK/nsd.out" 2>&1 &
    NSD_PID=$!
    for _ in $(seq 100); do
      kill -0 "$NSD_PID" 2>/dev/null || break
      if perl "$WORK/dnsprobe.pl" "$port" "gw-00000.$ZONE"; then
        NSD_PORT=$port
        return 0
      fi
      sleep 0.1
    done
    stop_nsd
    log "nsd did not come up on port $port (attempt $attempt)"
  done
  cat "$WORK/nsd.out" "$WORK/nsd.log" >&2 2>/dev/null || true
  die "cannot start nsd"
}
start_nsd
DNS="$HOST:$NSD_PORT"
log "nsd pid $NSD_PID on $DNS"

# --- helpers ------------------------------------------------------------------------------
ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.0f", v[(NR + 1) / 2]; else printf "%.0f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
m() { printf '%s\n' "$@" | median; }
minmax() { printf '%s\n' "$@" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s–%s", lo, hi }'; }
verdict() { awk -v v="$1" -v t="$TARGET_MS" 'BEGIN { print (v <= t ? "meets" : "misses") }'; }
CONN=(--ldap-url "$URL" --base-dn "$BASE")
DNSOPTS=(--dns-server "$DNS" --hosts-file /dev/null)

# The addresses a file of format $1 admits, one a line, sorted (lexically, for comm/cmp).
# For json: every peer's address (json also lists Disabled peers; this data has none).
addresses() {
  case "$1" in
    text) grep -v '^#' "$2" | sed '/^$/d' ;;
    kamailio) awk '!/^#/ && NF { print $2 }' "$2" ;;
    json) perl -MJSON::PP -0777 -ne 'print "$_->{address}\n" for @{ decode_json($_)->{peers} }' "$2" ;;
    nftables) awk '/^add element / { on = 1; next } on && /^}/ { on = 0 } on { gsub(/[ ,]/, ""); if ($0 != "") print }' "$2" ;;
  esac | sort
}

# Checks the output $2 of format $1 beyond the address set; prints nothing when fine.
check_format() {
  local f=$1 file=$2
  case "$f" in
    text)
      # IPv4 first, numerically; then IPv6 (interface.md)
      grep -v '^#' "$file" | awk '/:/ { six = 1; next } six { print "IPv4 after IPv6: " $0; exit }'
      grep -v '^#' "$file" | grep -v : | sort -c -t. -k1,1n -k2,2n -k3,3n -k4,4n 2>&1 | head -1 || true
      ;;
    kamailio)
      awk '!/^#/ && NF && !($1 == "1" && NF == 5 && (($3 == 32 && $2 !~ /:/) || ($3 == 128 && $2 ~ /:/)) && $4 == 0) { print "bad kamailio line: " $0; exit }' "$file"
      ;;
    json)
      perl -MJSON::PP -0777 -ne 'my $d = decode_json($_); my $n = 0;
        for my $p (@{ $d->{peers} }) {
          $n++ if $p->{stale} || $p->{status} eq "Disabled" || !@{ $p->{gateways} };
          $n++ if ($p->{address} =~ /^10\.2\./ || $p->{address} =~ /:/) && !@{ $p->{fqdns} };
          $n++ if $p->{address} =~ /^10\.2\./ && $p->{transport} ne "tls";
        }
        print "json: $n peers with unexpected fields\n" if $n;
        print "json: ", scalar(@{ $d->{events} }), " events (expected none)\n" if @{ $d->{events} };' "$file"
      ;;
    nftables)
      grep -q '^table inet umgw {' "$file" || echo "nftables: no 'table inet umgw'"
      ;;
  esac
}

# Runs one export: $1 format, $2 output file, $3 JVM options, then extra umgw options. Sets
# RUN_MS (wall), RUN_RC, RUN_INNER (seconds the command reports for its own work, from stderr).
run_export() {
  local f=$1 file=$2 opts=$3 t0
  shift 3
  t0=$EPOCHREALTIME
  # shellcheck disable=SC2086
  if java $opts -jar "$JAR" trust-list export --format "$f" --out "$file" "${CONN[@]}" \
    "${DNSOPTS[@]}" "$@" >"$WORK/run.out" 2>"$WORK/run.err"; then RUN_RC=0; else RUN_RC=$?; fi
  RUN_MS=$(ms_since "$t0")
  RUN_INNER=$(sed -n 's/.* in \([0-9.]*\) s$/\1/p' "$WORK/run.err" | tail -1)
}

# Checks the last run of format $1 into $2: exit 0, exactly the expected addresses, format details.
verify_export() {
  local f=$1 file=$2 problems
  ((RUN_RC == 0)) || { cat "$WORK/run.err" >&2; die "export --format $f exited $RUN_RC"; }
  addresses "$f" "$file" >"$WORK/got.txt"
  if ! cmp -s "$WORK/got.txt" "$WORK/expected.txt"; then
    log "export --format $f: $(wc -l <"$WORK/got.txt") addresses, expected $EXP_ALL; first differences:"
    diff "$WORK/expected.txt" "$WORK/got.txt" | head -10 >&2
    die "export --format $f does not hold the expected addresses"
  fi
  problems=$(check_format "$f" "$file")
  [[ -z "$problems" ]] || die "export --format $f: $problems"
}

time_cmd() { # wall ms of a command, which must succeed; output discarded
  local t0
  t0=$EPOCHREALTIME
  "$@" >/dev/null 2>"$WORK/cmd.err" || { cat "$WORK/cmd.err" >&2; die "failed: $*"; }
  ms_since "$t0"
}

# --- sanity -------------------------------------------------------------------------------
FILTER='(|(objectClass=umIPGateway)(objectClass=umHuntGroup)(objectClass=umDialPlan)(objectClass=umServer))'
got=$(ldapsearch -x -LLL -H "$URL" -b "$BASE" -E pr=1000/noprompt "$FILTER" 1.1 | grep -c '^dn:')
((got == 2 * GATEWAYS + DIAL_PLANS)) || die "ldapsearch returned $got entries, expected $((2 * GATEWAYS + DIAL_PLANS))"
java -jar "$JAR" validate "${CONN[@]}" >"$WORK/validate.out" 2>&1 ||
  { cat "$WORK/validate.out" >&2; die "umgw validate fails on the generated directory"; }

printf '## Nightly export benchmark (%s)\n\n' "$(date -u +%Y-%m-%dT%H:%MZ)"
machine_lines
printf -- '- %s; slapd %s (back_mdb) on %s; %s on %s (server-count 1, RRL off)\n' \
  "$(java -version 2>&1 | head -1)" "$(slapd_version)" "$URL" "$(nsd -v 2>&1 | head -1)" "$DNS"
printf -- '- Tree: %s\n' "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" status --porcelain --untracked-files=no -- src pom.xml 2>/dev/null | grep -q . && echo ' + uncommitted changes in src/pom.xml')"
printf -- '- Command: bench/export.sh %s (GATEWAYS=%s DIAL_PLANS=%s FORMATS=%q JAVA_OPTS=%q FAST_JAVA_OPTS=%q)\n' \
  "$ROUNDS" "$GATEWAYS" "$DIAL_PLANS" "$FORMATS" "$JAVA_OPTS" "$FAST_JAVA_OPTS"
printf -- '- Data: %s dial plans, %s gateways (%s by IPv4 literal, %s by FQDN: %s IPv4Only, %s Any), one hunt group each, %s gateways per plan; %s names in %s (TTL 300). Expected in every output: %s IPv4 + %s IPv6 = %s addresses.\n' \
  "$DIAL_PLANS" "$GATEWAYS" "$((GATEWAYS / 2))" "$FQDNS" "$((GATEWAYS / 4))" "$((GATEWAYS / 4))" \
  "$(((GATEWAYS + DIAL_PLANS - 1) / DIAL_PLANS))" "$FQDNS" "$ZONE" "$EXP_V4" "$EXP_V6" "$EXP_ALL"

# --- warm-up (page cache, slapd's caches); not counted --------------------------------------
log "warm-up (not counted) ..."
run_export text "$WORK/out/warmup.text" "$JAVA_OPTS" --allow-shrink
verify_export text "$WORK/out/warmup.text"

# --- rounds -------------------------------------------------------------------------------
declare -A WALL INNER BYTES
declare -a VERSION LDAPS VALIDATE FAST
for ((r = 1; r <= ROUNDS; r++)); do
  log "round $r/$ROUNDS ..."
  VERSION+=("$(time_cmd java $JAVA_OPTS -jar "$JAR" --version)")
  LDAPS+=("$(time_cmd ldapsearch -x -LLL -H "$URL" -b "$BASE" -E pr=1000/noprompt "$FILTER")")
  VALIDATE+=("$(time_cmd java $JAVA_OPTS -jar "$JAR" validate "${CONN[@]}")")
  for f in $FORMATS; do
    file="$WORK/out/trusted.$f"
    run_export "$f" "$file" "$JAVA_OPTS" --allow-shrink
    verify_export "$f" "$file"
    WALL[$f]+="$RUN_MS " INNER[$f]+="${RUN_INNER:-?} "
    BYTES[$f]=$(wc -c <"$file")
  done
  run_export kamailio "$WORK/out/fast.kamailio" "$FAST_JAVA_OPTS" --allow-shrink
  verify_export kamailio "$WORK/out/fast.kamailio"
  FAST+=("$RUN_MS")
done

printf '\n### Export end to end (wall from `java` start to exit; every run exit 0 and exactly the %s expected addresses)\n\n' "$EXP_ALL"
printf '| format | output bytes | run ms (rounds) | **median ms** | reported by umgw, s (after start-up) | target <= %s ms |\n' "$TARGET_MS"
printf '|---|---:|---|---:|---|---|\n'
for f in $FORMATS; do
  # shellcheck disable=SC2086
  med=$(m ${WALL[$f]})
  printf '| %s | %s | %s | **%s** | %s | %s |\n' "$f" "${BYTES[$f]}" "$(echo ${WALL[$f]} | tr ' ' ',' | sed 's/,/, /g')" \
    "$med" "$(echo ${INNER[$f]} | sed 's/ /, /g')" "$(verdict "$med")"
done
printf '| kamailio, %s | %s | %s | **%s** | | %s |\n' "$FAST_JAVA_OPTS" "${BYTES[kamailio]:-}" \
  "$(printf '%s, ' "${FAST[@]}" | sed 's/, $//')" "$(m "${FAST[@]}")" "$(verdict "$(m "${FAST[@]}")")"

printf '\n### Reference points (same rounds, medians)\n\n'
printf '| what | median ms | range |\n|---|---:|---|\n'
printf '| `java -jar umgw.jar --version` (JVM + picocli start and exit) | %s | %s |\n' "$(m "${VERSION[@]}")" "$(minmax "${VERSION[@]}")"
printf '| `ldapsearch -E pr=1000/noprompt` of the same %s entries | %s | %s |\n' "$((2 * GATEWAYS + DIAL_PLANS))" "$(m "${LDAPS[@]}")" "$(minmax "${LDAPS[@]}")"
printf '| `umgw validate` (JVM start, directory read, every rule; no DNS) | %s | %s |\n' "$(m "${VALIDATE[@]}")" "$(minmax "${VALIDATE[@]}")"

# --- embedded sample ------------------------------------------------------------------------
log "embedded sample directory ..."
SAMPLE_DIR="$WORK/sample-data"
# `init` creates the data directory from ldif/sample.ldif (an export refuses a missing one); the
# first export (not counted) warms up. The hosts file given
# replaces /etc/hosts and holds only `localhost`, so the sample's names resolve from it and
# <data dir>/hosts (ldif/sample.hosts); nothing reaches DNS (nsd, still running, would answer
# REFUSED outside bench.test, and an export refuses names that get no answer).
printf '127.0.0.1 localhost\n::1 localhost\n' >"$WORK/localhost.hosts"
SAMPLE_DNSOPTS=(--dns-server "$DNS" --hosts-file "$WORK/localhost.hosts")
java -jar "$JAR" init --data-dir "$SAMPLE_DIR" >/dev/null 2>"$WORK/sample.err" ||
  { cat "$WORK/sample.err" >&2; die "init of the embedded sample failed"; }
java -jar "$JAR" trust-list export --data-dir "$SAMPLE_DIR" "${SAMPLE_DNSOPTS[@]}" --format text \
  --out "$WORK/out/sample.seed" >/dev/null 2>"$WORK/sample.err" ||
  { cat "$WORK/sample.err" >&2; die "export of the embedded sample failed"; }
declare -A SWALL SCOUNT
for ((r = 1; r <= ROUNDS; r++)); do
  for f in $FORMATS; do
    t0=$EPOCHREALTIME
    java $JAVA_OPTS -jar "$JAR" trust-list export --data-dir "$SAMPLE_DIR" "${SAMPLE_DNSOPTS[@]}" --format "$f" \
      --out "$WORK/out/sample.$f" --allow-shrink >/dev/null 2>"$WORK/sample.err" ||
      { cat "$WORK/sample.err" >&2; die "export --format $f of the embedded sample failed"; }
    SWALL[$f]+="$(ms_since "$t0") "
    SCOUNT[$f]=$(addresses "$f" "$WORK/out/sample.$f" | wc -l)
  done
done
SEVENTS=$(grep -o 'event [0-9]*' "$WORK/sample.err" | sort | uniq -c | awk '{ printf "%s%s × %s", sep, $1, $3; sep = ", " }')
SAMPLE_REPORT=$(
printf '\n### Reference: the embedded sample directory (`--data-dir`, ldif/sample.ldif; events: %s)\n\n' "${SEVENTS:-none}"
printf '| format | addresses | run ms (rounds) | median ms |\n|---|---:|---|---:|\n'
for f in $FORMATS; do
  # shellcheck disable=SC2086
  printf '| %s | %s | %s | %s |\n' "$f" "${SCOUNT[$f]}" "$(echo ${SWALL[$f]} | sed 's/ /, /g')" "$(m ${SWALL[$f]})"
done
)

# --- nft -c -------------------------------------------------------------------------------
printf '\n### Checks\n\n'
if [[ " $FORMATS " == *" nftables "* ]]; then
  if [[ "$(id -u)" == 0 ]] && command -v nft >/dev/null 2>&1; then
    t0=$EPOCHREALTIME
    if nft -c -f "$WORK/out/trusted.nftables" >"$WORK/nft.out" 2>&1; then
      printf -- '- `nft -c -f` on the nftables output (%s + %s elements): **accepted** in %s ms (%s).\n' \
        "$EXP_V4" "$EXP_V6" "$(ms_since "$t0")" "$(nft --version)"
    else
      printf -- '- `nft -c -f` on the nftables output: **REJECTED**: %s\n' "$(head -3 "$WORK/nft.out" | tr '\n' ' ')"
      NFT_FAILED=1
    fi
  else
    printf -- '- `nft -c -f`: skipped (needs root and nft).\n'
  fi
fi
if [[ -x /usr/bin/time ]]; then
  rss() { # peak RSS in MB of one json export with JVM options $1
    # shellcheck disable=SC2086
    /usr/bin/time -f %M -o "$WORK/rss" java $1 -jar "$JAR" trust-list export --format json \
      --out "$WORK/out/rss.json" "${CONN[@]}" "${DNSOPTS[@]}" --allow-shrink >/dev/null 2>&1 ||
      die "export for the RSS measurement failed"
    awk '{ printf "%d", $1 / 1024 }' "$WORK/rss"
  }
  printf -- '- Peak RSS of one json export: %s MB with the default heap (a quarter of RAM here), %s MB with `-Xmx128m %s`.\n' \
    "$(rss "$JAVA_OPTS")" "$(rss "-Xmx128m $FAST_JAVA_OPTS")" "$FAST_JAVA_OPTS"
fi
printf -- '- Output files: mode %s; no temporary files left beside them: %s.\n' \
  "$(stat -c %a "$WORK/out/trusted.${FORMATS%% *}")" \
  "$(if ls -A "$WORK/out" | grep -q '\.tmp$'; then echo "NO, found $(ls -A "$WORK/out" | grep '\.tmp$' | head -3 | tr '\n' ' ')"; else echo yes; fi)"

# --- shrink guard ---------------------------------------------------------------------------
log "shrink guard ..."
guard=$WORK/out/trusted.kamailio
[[ -f "$guard" ]] || { run_export kamailio "$guard" "$JAVA_OPTS" --allow-shrink; verify_export kamailio "$guard"; }
run_export kamailio "$guard" "$JAVA_OPTS"
verify_export kamailio "$guard"
printf -- '- Same export again without `--allow-shrink` over the existing file: exit %s, written (%s ms).\n' "$RUN_RC" "$RUN_MS"
sum_before=$(sha256sum <"$guard")
stop_nsd
run_export kamailio "$guard" "$JAVA_OPTS" --dns-timeout 500
sum_after=$(sha256sum <"$guard")
n1194=$(grep -c 'event 1194' "$WORK/run.err" || true)
# The refusal: names without a DNS answer refuse the export before the shrink guard is reached.
refusal=$(grep '^umgw: ' "$WORK/run.err" | grep -v '^umgw: event ' | head -1 | sed 's/^umgw: //' || true)
printf -- '- nsd stopped (every FQDN fails: %s events 1194), export without `--allow-shrink`: exit %s in %s ms, file %s. Message: "%s"\n' \
  "$n1194" "$RUN_RC" "$RUN_MS" "$([[ "$sum_before" == "$sum_after" ]] && echo untouched || echo CHANGED)" "$refusal"
if ((RUN_RC != 1)) || [[ "$sum_before" != "$sum_after" ]]; then GUARD_FAILED=1; fi

printf '%s\n' "$SAMPLE_REPORT"
printf '\nScript total: %s s.\n' "$(awk -v a="$SCRIPT_START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')"
[[ -z "${NFT_FAILED:-}" ]] || die "nft -c rejected the nftables output"
[[ -z "${GUARD_FAILED:-}" ]] || die "the shrink guard did not refuse the shrunken list"
