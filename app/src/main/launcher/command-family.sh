# The family of a command, for its start-up archive (docs/decisions/0017), in POSIX sh for ./certops and the packaged
# app's launcher (packaging/src/build/train-image.sh puts this function into it). Sets $family, with no subshell and no
# process: "issue" for issue (an incident's command: its archive holds what an issuance loads and no more), "renew" for
# renew and revoke, "scan" for estate, "all" for deploy, rollback, runbook and drill (they use most of certops), "root"
# for the root's own --help or --version (text rendered at build time, ~800 classes), "" for the rest (the everyday
# commands, and every command's --help). --workspace's value is not a command (as in CommandDispatch.firstCommand).
# The families' training is dev.certops.cli.Training's.
command_family() {
  local a first="" help="" value=""; family=""
  for a in "$@"; do
    if [ -n "$value" ]; then value=""; continue; fi
    case "$a" in -h|--help|-V|--version) help=1 ;; --workspace) value=1 ;; -*) ;; *) [ -z "$first" ] && first="$a" ;; esac
  done
  if [ -n "$help" ]; then
    if [ -z "$first" ]; then family=root; fi
    return 0
  fi
  case "$first" in issue) family=issue ;; renew|revoke) family=renew ;; estate) family=scan ;; deploy|rollback|runbook|drill) family=all ;; esac
}
