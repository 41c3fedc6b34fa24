#!/usr/bin/env bash
# CI step: ./certops learns its start-up archive from the field (docs/decisions/0017, ninth round), on the Java that
# JAVA_HOME names, else the default one (17 here; .ci/java25-smoke.sh runs it on Java 25 too). Runs after `./mvnw -B verify` (it uses the jars that built). A working command's first run records
# the classes it loads; the training after it loads them too, so the archive covers what the real command loaded.
# A failed first run records nothing and leaves a mark; the next run that succeeds records again (with the archive
# in use) and the archive is trained again. Checks each step on the files ./certops writes and on the JVM's own count of the
# classes it took from the archive. Exits 1 on the first check that fails, naming it.
set -euo pipefail
cd "$(dirname "$0")/.."
ls app/target/certops-app-*.jar >/dev/null 2>&1 && [ -d app/target/lib ] \
  || { echo "learn-smoke: app/target has no jars: run ./mvnw -B verify first" >&2; exit 1; }
touch app/target/.certops-built   # the jars were just built by verify: ./certops must not rebuild them
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
version="$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$java_home/release")"
case "$version" in 1[3-9]*|2[0-4]*) ext=jsa ;; 2[5-9]*|[3-9][0-9]*) ext=aot ;; *) echo "learn-smoke: Java $version has no start-up archive to learn; nothing to do"; exit 0 ;; esac

tmp="$(mktemp -d /tmp/certops-learn-smoke.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "learn-smoke: FAILED: $*" >&2; exit 1; }
run() { JAVA_HOME="$java_home" CERTOPS_HOME="$tmp/ws" ./certops "$@"; }
renew="app/target/.certops-work-renew-$version"; issue="app/target/.certops-work-issue-$version"
# the training runs in the background after the command: wait for its partial files to go (at most 5 minutes)
trained() {
  for _ in $(seq 1 300); do
    ls "$1.$ext".* >/dev/null 2>&1 || { [ -f "$1.$ext" ] && return 0; }
    sleep 1
  done
  fail "no archive $1.$ext was trained within 5 minutes"
}
# the JVM's own count: the trace's last line says how many classes came from the archive
from_archive() {
  local line; line="$(CERTOPS_TRACE_STARTUP=1 run "$@" 2>&1 >/dev/null | grep 'classes loaded (' | tail -n 1)" || true
  [[ "$line" =~ total:\ ([0-9]+)\ classes\ loaded\ \(([0-9]+)\ from ]] || fail "no start-up trace total for '$*': $line"
  echo "$(( BASH_REMATCH[2] * 100 / BASH_REMATCH[1] ))"
}

CERTOPS_NO_TRAINING=1 run init --workspace "$tmp/ws" > /dev/null || fail "init exited $?"
rm -f "$renew".* "$issue".*

# a first run that succeeds: its list is kept and the archive trained with it; a first run is not a steady one, so
# the mark says to record the next successful run too
run renew --dry-run > "$tmp/out" 2>&1 || fail "renew --dry-run exited $?: $(cat "$tmp/out")"
[ -s "$renew.learned" ] || fail "the first renew --dry-run left no list of the classes it loaded"
grep -q '^dev/certops/cli/' "$renew.learned" || fail "the list names no class of certops' command line: $(head -n 3 "$renew.learned")"
grep -q ' id: \|source: ' "$renew.learned" && fail "the list kept more than class names and the JVM's directives"
[ -e "$renew.learn" ] || fail "a first run's list was taken as the steady one (no mark to record the next)"
trained "$renew"

# the next runs record again (the archive in use) until one adds (next to) nothing: the mark goes, and that run trains
# nothing. Usually the second run; a run whose head start got further than the first's (it prepares TLS beside the
# command, and the command may end first) adds those classes, is trained on them, and the run after it settles.
settle() {
  local before lines
  for _ in 1 2 3 4; do
    before="$(stat -c %Y "$renew.$ext")"; lines="$(wc -l < "$renew.learned")"; sleep 1
    run renew --dry-run > "$tmp/out" 2>&1 || fail "renew --dry-run with the mark exited $?: $(cat "$tmp/out")"
    [ "$(wc -l < "$renew.learned")" -ge "$lines" ] || fail "the kept list shrank"
    if [ ! -e "$renew.learn" ]; then
      sleep 2; ls "$renew.$ext".* >/dev/null 2>&1 && fail "a run that added nothing started a training"
      [ "$(stat -c %Y "$renew.$ext")" -eq "$before" ] || fail "a run that added nothing replaced the archive"
      return 0
    fi
    # it added 20 classes or more: the archive is trained again before the next run
    for _ in $(seq 1 300); do [ "$(stat -c %Y "$renew.$ext")" -gt "$before" ] && break; sleep 1; done
    trained "$renew"
    [ "$(stat -c %Y "$renew.$ext")" -gt "$before" ] || fail "a run that added 20 classes or more left the mark but no new archive"
  done
  fail "four runs in a row each added 20 classes or more: the list never settled"
}
settle
share="$(from_archive renew --dry-run)"
[ "$share" -ge 90 ] || fail "renew --dry-run took only $share % of its classes from the archive trained on its own run"

# a first run that fails: nothing kept, a mark; the archive is trained without the list
code=0; run issue nosuch > "$tmp/out" 2>&1 || code=$?
[ "$code" -ne 0 ] || fail "issue of an unknown certificate exited 0"
[ ! -e "$issue.learned" ] || fail "a failed first run's list was kept"
[ -e "$issue.learn" ] || fail "a failed first run left no mark for the next to learn from"
trained "$issue"

# a run that loads what the kept list lacks (here: certops' own classes taken out) records it, and the archive is trained
# again with it; the mark stays until a run adds nothing. (Java 17-24: the class list names what the run loaded. A Java
# 25 cache's log counts only what the cache lacked, and this cache lacks nothing renew loads: the step is Java 17-24's.)
if [ "$ext" = jsa ]; then
before="$(stat -c %Y "$renew.$ext")"; sleep 1
grep -v '^dev/certops/' "$renew.learned" > "$tmp/cut"; cp "$tmp/cut" "$renew.learned"; touch "$renew.learn"
run renew --dry-run > "$tmp/out" 2>&1 || fail "renew --dry-run with the mark exited $?: $(cat "$tmp/out")"
grep -q '^dev/certops/cli/' "$renew.learned" || fail "the run did not add what it loaded to the kept list"
[ -e "$renew.learn" ] || fail "a run that added 20 classes or more took the mark away"
for _ in $(seq 1 300); do [ "$(stat -c %Y "$renew.$ext")" -gt "$before" ] && break; sleep 1; done
trained "$renew"
[ "$(stat -c %Y "$renew.$ext")" -gt "$before" ] || fail "the archive was not trained again after the run that learned"
settle
share="$(from_archive renew --dry-run)"
[ "$share" -ge 90 ] || fail "after learning again renew --dry-run took only $share % of its classes from the archive"
fi
echo "learn-smoke: ok (Java $version: a first run's classes learned and recorded once more, ${share} % of renew's classes from its archive; a failed first run marked$([ "$ext" = jsa ] && echo "; what a later run adds learned"))"
