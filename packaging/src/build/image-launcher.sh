# --- the start-up archive (appended by train-image.sh; docs/decisions/0017, ninth round) ----------------------------
# The image's own archive was trained at package time on a throwaway workspace, without a CA: it holds what --help,
# the everyday commands and a scan load, not an issuance. Each family of working commands (issue; renew and revoke;
# estate; deploy, rollback, runbooks and drills) gets an archive of its own in the user's cache
# (${XDG_CACHE_HOME:-~/.cache}/certops), trained after the family's first successful run with the classes that run
# loaded: the user's own CA, DNS provider and hosts. Until then, and for everything else, the image's archive.
# CERTOPS_NO_TRAINING=1 keeps to the image's archive.
family=""; first=""; help=""; skip=""
for a in "$@"; do
  if [ -n "$skip" ]; then skip=""; continue; fi
  case "$a" in -h|--help|-V|--version) help=1 ;; --workspace) skip=1 ;; -*) ;; *) [ -z "$first" ] && first="$a" ;; esac
done
if [ -z "$help" ]; then
  case "$first" in issue) family=issue ;; renew|revoke) family=renew ;; estate) family=scan ;; deploy|rollback|runbook|drill) family=all ;; esac
fi
# The start-up options ./certops uses (ADR 0017): C1 inlines less deep and less large (a command's methods are compiled
# for a second of use); a command gets 128 MB of young generation (no collection in its second); huge pages for the
# heap where the kernel offers them on request (one fault per 2 MB; with "never" the JVM would warn at every start).
# The console keeps G1's own sizing: it lives for hours.
extra="-XX:C1MaxInlineLevel=3 -XX:C1MaxInlineSize=20"
console=""
if [ $# -eq 0 ] || { [ $# -eq 2 ] && [ "$1" = --workspace ]; }; then console=1; fi
case "${1:-}" in --workspace=*) [ $# -eq 1 ] && console=1 ;; esac
if [ -z "$console" ]; then extra="$extra -Xmn128m"; fi
thp=""
if [ -r /sys/kernel/mm/transparent_hugepage/enabled ]; then read -r thp < /sys/kernel/mm/transparent_hugepage/enabled || true; fi
case "$thp" in *"[always]"*|*"[madvise]"*) extra="$extra -XX:+UseTransparentHugePages" ;; esac
archive="$image_archive"
if [ -n "$family" ] && [ -f "$image_archive" ] && [ -n "${HOME:-}" ] && [ -z "${CERTOPS_NO_TRAINING:-}" ]; then
  dir="${XDG_CACHE_HOME:-$HOME/.cache}/certops"
  own="$dir/start-up-$family-$java_version.$ext"
  learned="$dir/start-up-$family-$java_version.learned"
  partial="$own.partial"
  # made for this install only (an upgrade's image archive is newer: the family learns again)
  if [ -f "$own" ] && [ "$own" -nt "$image_archive" ]; then
    archive="$own"
  elif mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ]; then
    # a training under way (its mark is less than ten minutes old) is left to finish; the command runs as before
    busy=""
    if [ -e "$partial" ] && [ -n "$(find "$partial" -mmin -10 2>/dev/null)" ]; then busy=1; fi
    if [ -z "$busy" ]; then
      list="$learned.$$"
      trap 'rm -f "$list" "$list.merged"' EXIT
      trap 'exit 130' INT TERM
      # with the image's archive in use: Java 17-24 write the class list beside it; a Java 25 cache refuses that, its
      # class-loading log names the same classes
      if [ "$ext" = aot ]; then seen="-Xlog:class+load=info:file=$list:none"; else seen="-XX:DumpLoadedClassList=$list"; fi
      run_java $extra "$use$image_archive" "$seen" -cp "$cp" "$main" "$@"
      rc=$?
      if [ "$rc" -eq 0 ] && [ -s "$list" ]; then
        { if [ -s "$learned" ]; then cat "$learned"; fi; cat "$list"; } \
          | awk '$1 ~ /^@/ { if (!line[$0]++) print; next } $1 !~ /^#/ && !seen[$1]++ { print $1 }' > "$list.merged" 2>/dev/null \
          && mv -f "$list.merged" "$learned"
        # the training, in the background, once: the family's commands on a throwaway workspace and the learned classes
        (
          trap '' HUP INT
          : > "$partial"
          if [ "$ext" = aot ]; then
            run_java -XX:AOTCacheOutput="$partial.aot" -Dcertops.training.family="$family" -Dcertops.training.learned="$learned" \
              -cp "$cp" dev.certops.cli.Training
            out="$partial.aot"
          else
            run_java -XX:DumpLoadedClassList="$partial.classes" -Dcertops.training.family="$family" \
              -Dcertops.training.learned="$learned" -cp "$cp" dev.certops.cli.Training
            if [ -s "$partial.classes" ]; then
              grep '^@' "$learned" >> "$partial.classes"
              run_java -Xshare:dump -XX:SharedClassListFile="$partial.classes" -XX:SharedArchiveFile="$partial.jsa" -cp "$cp"
            fi
            out="$partial.jsa"
          fi
          if [ -s "$out" ]; then mv -f "$out" "$own"; fi
          rm -f "$partial" "$partial.aot" "$partial.classes" "$partial.jsa"
        ) </dev/null >/dev/null 2>&1 &
      fi
      exit "$rc"
    fi
  fi
fi
launch=exec run_java $extra "$use$archive" -cp "$cp" "$main" "$@"
