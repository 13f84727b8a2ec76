#!/usr/bin/env bash
# Builds this example SIP server against the installed org.umgw:umgw (run `mvn install` in the
# repository first), runs it against a throwaway slapd loaded with the repository's sample
# directory (ldif/sample.ldif, schema/umgw.schema), and checks what a SIP server team checks
# before taking a library:
#   - the build's enforcer rules pass (banDuplicateClasses, dependencyConvergence, banned deps);
#   - `mvn dependency:tree` shows umgw's real dependencies and no SLF4J backend from umgw;
#   - at run time: no SLF4J warning (no "multiple SLF4J providers"), logback is the backend and
#     umgw's own log lines come out in this project's logback pattern, Guava is loaded from this
#     project's Guava jar (32.1.3-jre, not umgw's 33.x), umgw from its plain library jar (nothing
#     bundled, Automatic-Module-Name org.umgw, sources and javadoc jars installed beside it);
#   - a trusted source from the directory is admitted, an unknown one refused with event 1021.
# Exits non-zero on the first failed check. .ci/run calls it after the main build.
# Extra Maven flags (e.g. -o): UMGW_MVN_FLAGS="-o" bash examples/sip-server/run.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export LDAPNOINIT=1 # ldap-utils: no ldap.conf/.ldaprc of this machine or user
read -r -a mvn_flags <<<"-B -ntp -Dstyle.color=never ${UMGW_MVN_FLAGS:-}"

SUFFIX="dc=umgw,dc=example"
ROOT_DN="cn=admin,$SUFFIX"
TRUSTED_IP=127.0.0.2 # Contoso-SBC1 in ldif/sample.ldif
PILOT=+14255550199   # its "Sales Voice Mail" hunt group
UNTRUSTED_IP=192.0.2.99

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}
ok() { printf 'ok: %s\n' "$*"; }
section() { printf '\n---------- %s ----------\n' "$*"; }

for b in slapd ldapadd ldapsearch java mvn; do
  command -v "$b" >/dev/null 2>&1 || fail "$b not installed (bash .ci/run installs slapd and ldap-utils)"
done
[[ -f /usr/lib/ldap/back_mdb.so ]] || fail "slapd module back_mdb missing in /usr/lib/ldap"

work="$(mktemp -d "${TMPDIR:-/tmp}/umgw-sip-server.XXXXXX")"
slapd_pid=""
cleanup() {
  if [[ -n "$slapd_pid" ]] && kill -0 "$slapd_pid" 2>/dev/null; then
    kill "$slapd_pid" 2>/dev/null || true
    wait "$slapd_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# ---------------------------------------------------------------- slapd with the sample
section "slapd with ldif/sample.ldif"
printf '%s' "consumer-example-secret" >"$work/rootpw"
chmod 600 "$work/rootpw"
mkdir "$work/data"
cat >"$work/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include "$repo/schema/umgw.schema"
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload syncprov
sizelimit unlimited
pidfile "$work/slapd.pid"

database mdb
maxsize 1073741824
suffix "$SUFFIX"
rootdn "$ROOT_DN"
rootpw consumer-example-secret
directory "$work/data"
index objectClass eq
index umAddress eq
index umDialPlanLink eq
access to * by * read
overlay syncprov
CONF

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

url=""
for attempt in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 40000))
  port_in_use "$port" && continue
  slapd -d none -h "ldap://127.0.0.1:$port/" -f "$work/slapd.conf" </dev/null >>"$work/slapd.log" 2>&1 &
  slapd_pid=$!
  for _ in $(seq 1 150); do # 15 s
    kill -0 "$slapd_pid" 2>/dev/null || break
    if ldapsearch -x -H "ldap://127.0.0.1:$port" -b "" -s base namingContexts >/dev/null 2>&1; then
      url="ldap://127.0.0.1:$port"
      break
    fi
    sleep 0.1
  done
  [[ -n "$url" ]] && break
  kill "$slapd_pid" 2>/dev/null || true
  wait "$slapd_pid" 2>/dev/null || true
  slapd_pid=""
  echo "slapd did not come up on port $port (attempt $attempt):"
  tail -n 20 "$work/slapd.log"
done
[[ -n "$url" ]] || fail "slapd did not start; log above"
ldapadd -x -H "$url" -D "$ROOT_DN" -y "$work/rootpw" -f "$repo/ldif/sample.ldif" >"$work/ldapadd.log" 2>&1 ||
  { cat "$work/ldapadd.log"; fail "ldapadd of ldif/sample.ldif failed"; }
ok "slapd (pid $slapd_pid) on $url with the sample directory"

# The sample's names resolve from this file (as in the repository's tests); no DNS server needed.
{
  cat "$repo/ldif/sample.hosts"
  echo "127.0.0.1 localhost"
} >"$work/hosts"

# ---------------------------------------------------------------- build (enforcer rules)
section "mvn package (enforcer: banDuplicateClasses, dependencyConvergence, bannedDependencies)"
mvn "${mvn_flags[@]}" -f "$here/pom.xml" package ||
  fail "the consumer build failed (is org.umgw:umgw installed? run mvn install in $repo)"
ok "consumer built; enforcer rules passed"

# ---------------------------------------------------------------- dependency tree
section "mvn dependency:tree"
# -Dverbose also shows what Maven resolved away: umgw's Guava, managed down to ours.
mvn "${mvn_flags[@]}" -q -f "$here/pom.xml" dependency:tree -Dverbose -DoutputFile="$work/tree.txt" ||
  fail "mvn dependency:tree failed"
cat "$work/tree.txt"
# umgw's subtree: from its line to the next direct dependency.
awk '/^[+\\]- org\.umgw:umgw:jar:/ { on = 1; print; next } /^[+\\]- / { on = 0 } on' \
  "$work/tree.txt" >"$work/umgw-tree.txt"
[[ -s "$work/umgw-tree.txt" ]] || fail "org.umgw:umgw (plain jar, no classifier) is not a dependency in the tree"
grep -q 'org\.umgw:umgw:jar:[^:]*:compile' "$work/umgw-tree.txt" ||
  fail "umgw is not the plain library jar: $(head -1 "$work/umgw-tree.txt")"
for dep in com.unboundid:unboundid-ldapsdk dnsjava:dnsjava com.google.guava:guava \
  com.fasterxml.jackson.core:jackson-databind org.slf4j:slf4j-api; do
  grep -q -E -- "- \(?$dep:jar:" "$work/umgw-tree.txt" || fail "umgw's dependency $dep missing from its tree"
done
grep -q -E -- '- \(com\.google\.guava:guava:jar:32\.1\.3-jre:compile - version managed from' "$work/umgw-tree.txt" ||
  fail "umgw's Guava is not managed to this project's 32.1.3-jre"
ok "umgw brings unboundid-ldapsdk, dnsjava, guava (managed to ours), jackson-databind, slf4j-api"
if grep -q 'io\.prometheus' "$work/umgw-tree.txt"; then
  fail "umgw passes on the Prometheus client, which only its metrics package needs (optional)"
fi
backends='slf4j-(simple|nop|jdk14|jdk-platform-logging|reload4j|log4j12)|log4j-slf4j|logback-classic|picocli'
if grep -E -- "$backends" "$work/umgw-tree.txt"; then
  fail "umgw passes on a logging backend or its command line (above)"
fi
if grep -E -- "${backends/|logback-classic/}" "$work/tree.txt"; then
  fail "an SLF4J backend other than this project's logback is on the class path (above)"
fi
[[ "$(grep -c 'logback-classic' "$work/tree.txt")" == 1 ]] && grep -q '^[+\\]- ch\.qos\.logback:logback-classic:' "$work/tree.txt" ||
  fail "logback-classic should appear once, as this project's own dependency"
ok "no SLF4J backend from umgw; the only backend is this project's logback-classic"

# ---------------------------------------------------------------- run
section "run against slapd"
mvn "${mvn_flags[@]}" -q -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" ||
  fail "mvn dependency:build-classpath failed"
set +e
java -cp "$here/target/classes:$(cat "$work/cp.txt")" org.example.sipserver.SipServer \
  "$url" "$ROOT_DN" "$work/rootpw" "$SUFFIX" "$work/hosts" "$TRUSTED_IP" "$PILOT" "$UNTRUSTED_IP" \
  </dev/null >"$work/run.log" 2>&1
rc=$?
set -e
cat "$work/run.log"
section "checks"
[[ $rc == 0 ]] || fail "the SIP server exited $rc"
if grep -n -E 'SLF4J|multiple .*providers' "$work/run.log" | grep -v '^[0-9]*:SIPSERVER-LOGBACK \|^[0-9]*:check: '; then
  fail "SLF4J printed a warning (above)"
fi
ok "no SLF4J warning (no \"multiple SLF4J providers\")"
grep -q '^check: slf4j-backend ch\.qos\.logback\.classic\.LoggerContext$' "$work/run.log" ||
  fail "the SLF4J backend is not logback: $(grep '^check: slf4j-backend' "$work/run.log")"
grep -q -E '^SIPSERVER-LOGBACK .* org\.umgw\.events - event 1021 ' "$work/run.log" ||
  fail "umgw's event 1021 was not logged through this project's logback pattern"
umgw_lines="$(grep -c -E '^SIPSERVER-LOGBACK .* org\.umgw\.[a-z.]+\.?[A-Za-z]* - ' "$work/run.log" || true)"
[[ "$umgw_lines" -gt 0 ]] || fail "no umgw log line came through logback"
if grep -E '(INFO|WARN|ERROR) org\.umgw\.' "$work/run.log" | grep -v '^SIPSERVER-LOGBACK '; then
  fail "umgw log lines outside this project's logback pattern (above)"
fi
ok "logback is the backend; $umgw_lines umgw log lines in this project's logback pattern"
grep -q -E '^check: guava com\.google\.common\.collect\.ImmutableList from .*/com/google/guava/guava/32\.1\.3-jre/guava-32\.1\.3-jre\.jar$' "$work/run.log" ||
  fail "Guava is not this project's 32.1.3-jre jar: $(grep '^check: guava' "$work/run.log")"
ok "Guava from this project's own guava-32.1.3-jre.jar"
grep -q -E '^check: umgw org\.umgw\.service\.TrustService from .*/org/umgw/umgw/([^/]+)/umgw-\1\.jar$' "$work/run.log" ||
  fail "umgw is not loaded from its plain library jar: $(grep '^check: umgw' "$work/run.log")"
umgw_jar="$(sed -n 's/^check: umgw org\.umgw\.service\.TrustService from //p' "$work/run.log")"
if jar tf "$umgw_jar" | grep -v -E '^(org/|org/umgw/.*|umgw/.*|META-INF/.*)$'; then
  fail "$umgw_jar bundles classes or files that are not umgw's own (above)"
fi
jar --describe-module --file "$umgw_jar" | grep -q '^org\.umgw@.* automatic$' ||
  fail "$umgw_jar has no Automatic-Module-Name org.umgw"
for extra in sources javadoc; do
  [[ -s "${umgw_jar%.jar}-$extra.jar" ]] || fail "no $extra jar installed beside $umgw_jar"
done
ok "umgw from its plain library jar: nothing bundled, automatic module org.umgw, sources and javadoc"
grep -q "^check: admitted $TRUSTED_IP -> gateway Contoso-SBC1, " "$work/run.log" ||
  fail "the trusted source $TRUSTED_IP was not admitted"
grep -q "^check: refused $UNTRUSTED_IP: event 1021$" "$work/run.log" ||
  fail "the untrusted source $UNTRUSTED_IP was not refused with event 1021"
ok "trusted source $TRUSTED_IP admitted (Contoso-SBC1), $UNTRUSTED_IP refused (1021)"
section "PASSED: umgw works as a library in a logback + Guava 32 project"
