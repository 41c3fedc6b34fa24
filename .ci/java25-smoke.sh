#!/usr/bin/env bash
# CI step: the command line on Java 25 or later, where one is installed beside Java 17 (docs/decisions/0017).
# Runs after `./mvnw -B verify` (it uses the jars that built): ./certops with JAVA_HOME on the newer JDK must
# train and use its AOT cache, print the same help as on Java 17, and run the workspace commands.
# Which JDK: $JAVA25_HOME, else the newest /usr/lib/jvm/* or /opt/* whose release file says 25 or later.
# Exits 0 with one line when no such JDK is installed; 1 on the first check that fails, naming it.
set -euo pipefail
cd "$(dirname "$0")/.."

jdk="${JAVA25_HOME:-}"
if [ -z "$jdk" ]; then
  for release in /usr/lib/jvm/*/release /opt/*/release /opt/java/*/release; do
    [ -r "$release" ] || continue
    version="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")"
    if [ -n "$version" ] && [ "$version" -ge 25 ]; then jdk="$(dirname "$release")"; fi
  done
fi
if [ -z "$jdk" ]; then
  echo "java25-smoke: no Java 25 or later installed (set JAVA25_HOME to test one); nothing to do"
  exit 0
fi
[ -x "$jdk/bin/java" ] || { echo "java25-smoke: $jdk/bin/java is not there" >&2; exit 1; }
ls app/target/certops-app-*.jar >/dev/null 2>&1 && [ -d app/target/lib ] \
  || { echo "java25-smoke: app/target has no jars: run ./mvnw -B verify first" >&2; exit 1; }
touch app/target/.certops-built   # the jars were just built by verify: ./certops must not rebuild them

tmp="$(mktemp -d /tmp/certops-java25-smoke.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "java25-smoke: FAILED: $*" >&2; exit 1; }
on25() { JAVA_HOME="$jdk" CERTOPS_HOME="$tmp/ws" ./certops "$@"; }

echo "java25-smoke: $("$jdk/bin/java" -version 2>&1 | head -n 1) at $jdk"
rm -f app/target/.certops-cli-*.aot app/target/.certops-root-*.aot app/target/.certops-work-*.aot
# the root's own --version and --help have their own small cache (ADR 0017)
CERTOPS_TRAIN_NOW=1 on25 --version > "$tmp/version" 2> "$tmp/train.err" || fail "certops --version exited $?"
grep -q '^Java 2[5-9]\|^Java [3-9][0-9]' "$tmp/version" || fail "--version does not report the newer Java: $(cat "$tmp/version")"
ls app/target/.certops-root-*.aot >/dev/null 2>&1 || fail "no AOT cache was written by the root's training run ($(cat "$tmp/train.err"))"

on25 --help > "$tmp/help25" || fail "--help exited $?"
./certops --help > "$tmp/help17" || fail "--help on the default Java exited $?"
diff -u "$tmp/help17" "$tmp/help25" > "$tmp/help.diff" || fail "--help differs between Java versions: $(cat "$tmp/help.diff")"
on25 issue --help > /dev/null || fail "issue --help exited $?"
code=0; on25 nosuch > /dev/null 2>&1 || code=$?
[ "$code" -eq 64 ] || fail "an unknown command exited $code, not 64"

# the everyday commands' cache (help of a command, init, status, history...), trained on them only
CERTOPS_TRAIN_NOW=1 on25 init --workspace "$tmp/ws" > /dev/null 2> "$tmp/train.err" || fail "init exited $?"
ls app/target/.certops-cli-*.aot >/dev/null 2>&1 || fail "no AOT cache for the everyday commands was written ($(cat "$tmp/train.err"))"
on25 config check --offline > /dev/null || fail "config check --offline exited $?"
# a working command: trains and uses the second, linked cache (ADR 0017)
code=0; CERTOPS_TRAIN_NOW=1 on25 estate scan > "$tmp/scan" 2>&1 || code=$?
[ "$code" -le 2 ] || fail "estate scan exited $code: $(cat "$tmp/scan")"
ls app/target/.certops-work-scan-*.aot >/dev/null 2>&1 || fail "no AOT cache for the scans was written ($(cat "$tmp/scan"))"
code=0; on25 estate scan > "$tmp/scan" 2>&1 || code=$?
[ "$code" -le 2 ] || fail "estate scan with the working commands' cache exited $code: $(cat "$tmp/scan")"
# renew and revoke have their own (trained on renewal planning)
CERTOPS_TRAIN_NOW=1 on25 renew --dry-run > "$tmp/renew" 2>&1 || fail "renew --dry-run exited $?: $(cat "$tmp/renew")"
ls app/target/.certops-work-renew-*.aot >/dev/null 2>&1 || fail "no AOT cache for renew and revoke was written ($(cat "$tmp/renew"))"
on25 renew --dry-run > "$tmp/renew" 2>&1 || fail "renew --dry-run with its own cache exited $?: $(cat "$tmp/renew")"
on25 history > /dev/null 2> "$tmp/history.err" || fail "history exited $?"
[ ! -s "$tmp/history.err" ] || fail "history printed on stderr (a JVM warning?): $(cat "$tmp/history.err")"
on25 audit verify > /dev/null || fail "audit verify exited $?"
CERTOPS_TRACE_STARTUP=1 on25 --version 2> "$tmp/trace" > /dev/null || fail "--version with the start-up trace exited $?"
grep -q 'root help or version, rendered at build time' "$tmp/trace" || fail "--version built picocli's model, or printed no trace: $(cat "$tmp/trace")"
CERTOPS_TRACE_STARTUP=1 on25 config check --offline 2> "$tmp/trace" > /dev/null || fail "config check with the start-up trace exited $?"
grep -q 'picocli model' "$tmp/trace" || fail "CERTOPS_TRACE_STARTUP=1 printed no trace: $(cat "$tmp/trace")"
# the start-up cache learned from a working command's first run, and again after a failed one (docs/decisions/0017)
JAVA_HOME="$jdk" .ci/launcher-learn-smoke.sh || fail "the learning of the start-up cache on Java 25"
echo "java25-smoke: ok (AOT caches $(ls app/target/.certops-root-*.aot app/target/.certops-cli-*.aot app/target/.certops-work-*.aot | xargs -n1 basename | tr '\n' ' '), help identical to Java 17, workspace commands ran)"
