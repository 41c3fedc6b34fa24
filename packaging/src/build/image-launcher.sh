# --- the start-up archive (appended by train-image.sh; docs/decisions/0017, ninth round) ----------------------------
# The image's own archive was trained at package time on a throwaway workspace, without a CA: it holds what --help,
# the everyday commands and a scan load, not an issuance. Each family of working commands (issue; renew and revoke;
# estate; deploy, rollback, runbooks and drills) gets an archive of its own in the user's cache
# (${XDG_CACHE_HOME:-~/.cache}/certops), trained after the family's first successful run with the classes that run
# loaded: the user's own CA, DNS provider and hosts (recorded until steady, below). Until then, and for everything
# else, the image's archive.
# CERTOPS_NO_TRAINING=1 keeps to the image's archive.
command_family "$@"   # app/src/main/launcher/command-family.sh, as ./certops; the root's --help and --version: the image's
case "$family" in issue|renew|scan|all) ;; *) family="" ;; esac
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
  mark="$dir/start-up-$family-$java_version.learn"
  partial="$own.partial"
  # A run records what it loads until the family's archive is made from a steady list (as ./certops: a first run is
  # not steady — a first issuance creates the account key, later ones read it — so while a successful run adds 20
  # classes or more, or after a failed one, the mark says to record the next run too). A training under way (its
  # partial file less than ten minutes old) is left to finish.
  learning=""; own_in_use=""
  if [ -f "$own" ] && [ "$own" -nt "$image_archive" ]; then   # made for this install (an upgrade learns again)
    archive="$own"; own_in_use=1
    if [ -e "$mark" ]; then learning=1; fi
  elif mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ]; then
    learning=1
  fi
  if [ -n "$learning" ] && [ -e "$partial" ] && [ -n "$(find "$partial" -mmin -10 2>/dev/null)" ]; then learning=""; fi
  if [ -n "$learning" ]; then
    list="$learned.$$"
    trap 'rm -f "$list" "$list.merged"' EXIT
    trap 'exit 130' INT TERM
    # with an archive in use: Java 17-24 write the class list beside it; a Java 25 cache refuses that, its class-loading
    # log names the classes (the user's own cache is linked and loads all it holds at start: from it, only what it
    # lacked counts)
    if [ "$ext" = aot ]; then seen="-Xlog:class+load=info:file=$list:none"; else seen="-XX:DumpLoadedClassList=$list"; fi
    run_java $extra "$use$archive" "$seen" -cp "$cp" "$main" "$@"
    rc=$?
    more=""
    if [ "$rc" -eq 0 ] && [ -s "$list" ]; then
      [ -f "$learned" ] || : > "$learned"
      new="$(awk -v out="$list.merged" -v skipshared="$own_in_use" "$learned_merge" "$learned" "$list" 2>/dev/null)" || new=""
      case "$new" in
        ""|*[!0-9]*) ;;
        *) if mv -f "$list.merged" "$learned"; then
             if [ "$new" -ge 20 ]; then more=1; : > "$mark"; else rm -f "$mark"; fi
           fi ;;
      esac
    elif [ "$rc" -ne 0 ]; then
      : > "$mark"
    fi
    if [ -n "$more" ]; then
      # the training, in the background: the family's commands on a throwaway workspace and the learned classes
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
launch=exec run_java $extra "$use$archive" -cp "$cp" "$main" "$@"
