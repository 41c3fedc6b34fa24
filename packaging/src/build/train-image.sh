#!/usr/bin/env bash
# A build step of the package profile (docs/decisions/0017): gives a jpackage app image its start-up archive, made by a
# training run of the common commands (dev.certops.cli.Training) with the image's own runtime and the exact class path
# its launcher uses, then tells the launcher to use it (a java-options line in lib/app/certops.cfg).
# On Linux it then puts a shell launcher in place of jpackage's native bin/certops, with the same options: the native one
# asks rpm and dpkg which package owns it on every start (about 0.2 s of CPU, more than the JVM's start with the archive).
#   Java 25 and later: an AOT cache (JEP 483/514/515), lib/app/certops.aot, -XX:AOTCache=$APPDIR/certops.aot
#   Java 13-24: a static class-data archive, lib/app/certops.jsa, -XX:SharedArchiveFile=$APPDIR/certops.jsa
#
#   train-image.sh IMAGE
#
# A training that fails leaves the image without an archive (it starts as before) and says so; it never fails the build.
set -euo pipefail
image="$1"
java="$image/lib/runtime/bin/java"
cfg="$(ls "$image"/lib/app/*.cfg | head -n 1)"
app="$image/lib/app"
[ -x "$java" ] || { echo "train-image: $java is missing (the runtime needs bin/java for the training): no archive" >&2; exit 0; }

version="$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$image/lib/runtime/release")"
feature="${version%%.*}"
# Java 22+ warns on every start that sqlite-jdbc loads its native library, unless native access is granted (as ./certops does)
if [ "$feature" -ge 22 ] && ! grep -q '^java-options=--enable-native-access=' "$cfg"; then
  sed -i 's/^\[JavaOptions\]$/[JavaOptions]\njava-options=--enable-native-access=ALL-UNNAMED/' "$cfg"
fi

# the launcher's class path and options, from its cfg ($APPDIR is lib/app)
cp=""; opts=()
while IFS= read -r line; do
  case "$line" in
    app.classpath=*) entry="${line#app.classpath=}"; cp="${cp:+$cp:}${entry//\$APPDIR/$app}" ;;
    java-options=-XX:AOTCache=*|java-options=-XX:SharedArchiveFile=*|java-options=-Xlog:aot=off|java-options=-Xlog:cds=off|java-options=-XX:UserThreadWaitAttemptsAtExit=*) ;;   # a previous archive's
    java-options=*) opt="${line#java-options=}"; opts+=("${opt//\$APPDIR/$app}") ;;
  esac
done < "$cfg"
main_jar="$(sed -n 's/^app.mainjar=//p' "$cfg")"
if [ -n "$main_jar" ]; then cp="${main_jar//\$APPDIR/$app}${cp:+:$cp}"; fi

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
home="$work/home"; mkdir -p "$home"
rm -f "$app/certops.aot" "$app/certops.jsa"
if [ "$feature" -ge 25 ]; then
  out="$app/certops.aot"; use='-XX:AOTCache=$APPDIR/certops.aot'
  HOME="$home" "$java" "${opts[@]}" -XX:AOTCacheOutput="$out" -XX:-AOTClassLinking -Xlog:aot=off -cp "$cp" dev.certops.cli.Training \
      > "$work/training.log" 2>&1 </dev/null || true
else
  out="$app/certops.jsa"; use='-XX:SharedArchiveFile=$APPDIR/certops.jsa'
  HOME="$home" "$java" "${opts[@]}" -XX:DumpLoadedClassList="$work/classes" -cp "$cp" dev.certops.cli.Training \
      > "$work/training.log" 2>&1 </dev/null || true
  [ -s "$work/classes" ] && "$java" -Xshare:dump -XX:SharedClassListFile="$work/classes" -XX:SharedArchiveFile="$out" \
      "${opts[@]}" -cp "$cp" > "$work/dump.log" 2>&1 </dev/null || true
fi
if [ ! -s "$out" ]; then
  echo "train-image: no start-up archive for $image (Java $version); the training said:" >&2
  tail -n 20 "$work/training.log" >&2
  rm -f "$out"
  exit 0
fi
# the launcher reads every java-options line; the archive's line goes before the [ArgOptions] section, if any
sed -i '/^-XX:AOTCache=\|^java-options=-XX:AOTCache=\|^java-options=-XX:SharedArchiveFile=\|^java-options=-Xlog:aot=off\|^java-options=-Xlog:cds=off\|^java-options=-XX:UserThreadWaitAttemptsAtExit=/d' "$cfg"
add_java_option() {   # $1 line to add at the end of [JavaOptions]
  awk -v add="$1" 'BEGIN{s=0} /^\[JavaOptions\]/{s=1; print; next} s==1 && /^\[/{print add; s=2} {print} END{if(s==1) print add}' "$cfg" > "$cfg.new"
  mv "$cfg.new" "$cfg"
}
add_java_option "java-options=$use"
# an archive that no longer fits (a changed jar) is ignored by the JVM; it must not print about it on every start
if [ "$feature" -ge 25 ]; then add_java_option "java-options=-Xlog:aot=off"; fi
# the JVM's exit waits up to 0.3 s for threads inside native calls; a command's work is done by then (ADR 0017)
if [ "$feature" -ge 25 ]; then add_java_option "java-options=-XX:UserThreadWaitAttemptsAtExit=0"; fi
add_java_option "java-options=-Xlog:cds=off"
echo "train-image: $(basename "$out") for Java $version, $(du -h "$out" | cut -f1)"

# --- bin/certops: the same start without asking the package managers (Linux) -------------------------------------
launcher="$image/bin/certops"
if [ "$(uname -s)" = Linux ] && [ -f "$launcher" ]; then
  # a cfg value in single quotes for sh, its $APPDIR the script's own lib/app
  sh_word() { local q="'\''"; local v="'${1//\'/$q}'"; printf '%s' "${v//\$APPDIR/\'\"\$app\"\'}"; }
  main_class="$(sed -n 's/^app.mainclass=//p' "$cfg")"
  class_path=""
  while IFS= read -r line; do
    case "$line" in app.mainjar=*|app.classpath=*) class_path="${class_path:+$class_path:}${line#*=}" ;; esac
  done < "$cfg"
  ext="${out##*.}"
  {
    echo '#!/bin/sh'
    echo '# certops launcher, written at package time (packaging/src/build/train-image.sh, docs/decisions/0017): the options'
    echo '# of lib/app/certops.cfg, started directly (jpackage'"'"'s native launcher asked rpm and dpkg which package owns it on'
    echo '# every start).'
    echo 'self="$(readlink -f "$0")"'
    echo 'app="${self%/bin/*}/lib/app"'
    echo 'java="${self%/bin/*}/lib/runtime/bin/java"'
    echo "cp=$(sh_word "$class_path")"
    echo "main=$(sh_word "$main_class")"
    echo "java_version=$(sh_word "$version")"
    echo "ext=$ext"
    echo 'image_archive="$app/certops.$ext"'
    if [ "$ext" = aot ]; then echo 'use=-XX:AOTCache='; else echo 'use=-XX:SharedArchiveFile='; fi
    # the merge of what a run recorded into the kept list: the program ./certops runs too
    echo "learned_merge=$(sh_word "$(grep -v '^#' "$(dirname "$0")/../../../app/src/main/launcher/learned-merge.awk")")"
    echo '# the JVM with the image'"'"'s options (its archive apart: chosen below); launch=exec makes it the process'
    echo 'run_java() {'
    echo '  ${launch:-} "$java" \'
    while IFS= read -r line; do
      case "$line" in
        java-options=-XX:AOTCache=*|java-options=-XX:SharedArchiveFile=*) ;;
        java-options=*) echo "    $(sh_word "${line#java-options=}") \\" ;;
      esac
    done < "$cfg"
    echo '    -Djpackage.app-path="$self" "$@"'
    echo '}'
    # the family of a command line: the function ./certops sources
    grep -v '^#' "$(dirname "$0")/../../../app/src/main/launcher/command-family.sh"
    cat "$(dirname "$0")/image-launcher.sh"
  } > "$launcher.new"
  chmod 755 "$launcher.new"
  mv "$launcher.new" "$launcher"
  echo "train-image: bin/certops is a shell launcher"
fi
