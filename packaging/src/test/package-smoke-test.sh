#!/usr/bin/env bash
# What a user gets from the packages (run by the `package` profile's verify, never by the default build):
# - the app images run the commands headless;
# - on Linux, each .deb (certops, then certops-cli) is installed with apt-get on this machine, which has no
#   desktop, then `certops --version`, `init`, `config check`, `schedule show` (its ExecStart exists and is
#   executable), `schedule install --systemd` (checked by systemd-analyze verify when installed), reinstalled
#   (the upgrade path of the maintainer scripts), the timer's command checked again, then removed: each exits 0
#   and nothing is left in /opt, /usr/bin or the desktop folders. certops is installed while desktop tools that
#   fail (exit 3, like xdg-desktop-menu without a menu folder) are on the PATH.
# - an .rpm (-Dpackage.installer=rpm) is inspected: requirements, files, scriptlets.
# Needs root (or sudo without a password) for apt-get. Prints sizes and times.
set -euo pipefail
dist="$1"; installer="${2:-deb}"; cli_dist="${3:-}"
tmp="$(mktemp -d)"; chmod 755 "$tmp"
sudo=""; if [ "$(id -u)" != 0 ]; then sudo="sudo -n"; fi
cleanup() {
  for p in certops certops-cli; do
    if dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q installed; then $sudo apt-get remove -y -q "$p" > /dev/null 2>&1 || true; fi
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

check_launcher() {
  local launcher="$1" label="$2"
  [[ "$("$launcher" --help)" == *"Create a workspace"* ]] || fail "$label --help does not list the commands"
  "$launcher" init --workspace "$tmp/ws-$label" > /dev/null
  [[ "$("$launcher" config check --workspace "$tmp/ws-$label")" == *"is valid"* ]] || fail "$label config check"
  [[ "$("$launcher" audit verify --workspace "$tmp/ws-$label")" == *"OK"* ]] || fail "$label audit verify"
  echo "ok: $label runs --help, init, config check and audit verify headless"
  check_learning "$launcher" "$label"
}

# A working command's first successful run: its classes recorded in the user's cache, the family's own archive trained
# there in the background, and the next run taking (nearly) all its classes from it (docs/decisions/0017, ninth round)
check_learning() {
  local launcher="$1" label="$2" home="$tmp/home-$2" own="" line
  mkdir -p "$home"
  HOME="$home" "$launcher" renew --dry-run --workspace "$tmp/ws-$label" > "$tmp/renew-$label" 2>&1 \
    || { cat "$tmp/renew-$label" >&2; fail "$label renew --dry-run"; }
  ls "$home"/.cache/certops/start-up-renew-*.learned >/dev/null 2>&1 || fail "$label: the first renew left no list of its classes"
  for _ in $(seq 1 300); do
    own="$(ls "$home"/.cache/certops/start-up-renew-*[0-9].aot "$home"/.cache/certops/start-up-renew-*[0-9].jsa 2>/dev/null | head -n 1 || true)"
    [ -n "$own" ] && [ ! -e "$own.partial" ] && break
    sleep 1
  done
  [ -n "$own" ] || fail "$label: no archive for renew was trained in the user's cache within 5 minutes"
  line="$(HOME="$home" CERTOPS_TRACE_STARTUP=1 "$launcher" renew --dry-run --workspace "$tmp/ws-$label" 2>&1 >/dev/null | grep 'classes loaded (' | tail -n 1)"
  [[ "$line" =~ total:\ ([0-9]+)\ classes\ loaded\ \(([0-9]+)\ from ]] || fail "$label: no start-up trace total: $line"
  # (the image's own archive, trained without this run, gives renew ~91 %)
  (( BASH_REMATCH[2] * 100 >= BASH_REMATCH[1] * 97 )) || fail "$label: renew took only ${BASH_REMATCH[2]} of ${BASH_REMATCH[1]} classes from its own archive"
  echo "ok: $label learned renew's archive in the user's cache ($(basename "$own"): ${BASH_REMATCH[2]} of ${BASH_REMATCH[1]} classes from it)"
}

image="$dist/certops/bin/certops"
[ -x "$image" ] || fail "no app image launcher at $image"
check_launcher "$image" app-image
start=$(date +%s%N); "$image" --version > /dev/null
echo "app image: $(du -sh "$dist/certops" | cut -f1), headless start-up (--version): $(ms "$start") ms"
if [ -n "$cli_dist" ] && [ -x "$cli_dist/certops/bin/certops" ]; then
  check_launcher "$cli_dist/certops/bin/certops" cli-image
  echo "headless app image: $(du -sh "$cli_dist/certops" | cut -f1)"
fi

# The ExecStart= of a unit file, its first word (certops writes plain paths unquoted).
exec_start() { sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$1"; }

# install, use, reinstall, remove one .deb as an administrator would
deb_cycle() {
  local deb="$1" pkg="$2" app="/opt/$2" ws="$tmp/ws-installed-$2" units="$tmp/units-$2" log="$tmp/apt-$2.log" t
  t=$(date +%s%N)
  $sudo env PATH="$PATH" DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" > "$log" 2>&1 \
      || { cat "$log" >&2; fail "apt-get install $deb"; }
  echo "ok: apt-get install ./$(basename "$deb") ($(ms "$t") ms)"
  dpkg-query -W -f '${Status}' "$pkg" | grep -q "install ok installed" || fail "$pkg is not fully installed: $(dpkg-query -W -f '${Status}' "$pkg")"
  [ -x "$app/bin/certops" ] || fail "$app/bin/certops is missing"
  [ "$(readlink /usr/bin/certops)" = "$app/bin/certops" ] || fail "/usr/bin/certops does not point at $app/bin/certops"
  certops --version > /dev/null || fail "certops --version"
  certops init --workspace "$ws" > /dev/null || fail "certops init"
  certops config check --workspace "$ws" > /dev/null || fail "certops config check"
  (cd "$tmp" && certops schedule show --workspace "$ws") > "$tmp/show-$pkg" || fail "certops schedule show"
  local cmd; cmd="$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$tmp/show-$pkg")"
  [ "$cmd" = "$app/bin/certops" ] || fail "schedule show: ExecStart runs '$cmd', not $app/bin/certops"
  [ -x "$cmd" ] || fail "schedule show: ExecStart's $cmd is not executable"
  (cd "$tmp" && certops schedule install --systemd --dir "$units" --workspace "$ws") > /dev/null || fail "certops schedule install --systemd"
  [ "$(exec_start "$units/certops-renew.service")" = "$app/bin/certops" ] || fail "the written unit does not run $app/bin/certops"
  if command -v systemd-analyze > /dev/null; then
    systemd-analyze verify --man=no "$units/certops-renew.service" "$units/certops-renew.timer" || fail "systemd-analyze verify"
    echo "ok: systemd-analyze verify accepts the units running $app/bin/certops"
  fi
  echo "ok: $pkg: certops --version, init, config check, schedule show and install (ExecStart=$cmd)"
  t=$(date +%s%N)
  $sudo env PATH="$PATH" DEBIAN_FRONTEND=noninteractive apt-get install -y -q --reinstall "$deb" > "$log" 2>&1 \
      || { cat "$log" >&2; fail "apt-get install --reinstall $deb"; }
  [ -x "$(exec_start "$units/certops-renew.service")" ] || fail "after the reinstall, the unit's command is gone"
  certops schedule status --workspace "$ws" > "$tmp/status-$pkg" 2>&1 || { cat "$tmp/status-$pkg" >&2; fail "schedule status after the reinstall"; }
  grep -q "runs $app/bin/certops" "$tmp/status-$pkg" || fail "schedule status does not show the timer's command"
  echo "ok: reinstalled (upgrade path, $(ms "$t") ms): the unit's command still runs"
}

deb_remove() {
  local pkg="$1" log="$tmp/apt-remove-$1.log"
  $sudo env PATH="$PATH" DEBIAN_FRONTEND=noninteractive apt-get remove -y -q "$pkg" > "$log" 2>&1 || { cat "$log" >&2; fail "apt-get remove $pkg"; }
  [ ! -e "/opt/$pkg" ] || fail "/opt/$pkg is left after apt-get remove: $(find "/opt/$pkg" | head)"
  [ ! -e /usr/bin/certops ] && [ ! -L /usr/bin/certops ] || fail "/usr/bin/certops is left after apt-get remove"
  [ ! -e /usr/share/applications/certops.desktop ] || fail "the menu entry is left after apt-get remove"
  echo "ok: apt-get remove $pkg left nothing in /opt, /usr/bin or the desktop folders"
}

if [ "$installer" = deb ]; then
  command -v apt-get > /dev/null || fail "apt-get is needed to check the .deb packages"
  $sudo true 2> /dev/null || fail "installing the .deb packages needs root or sudo without a password"
  for p in certops certops-cli; do
    if dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q ' installed$'; then fail "$p is installed on this machine already: remove it first"; fi
  done
  deb="$(ls "$dist"/certops_*.deb | head -n 1)"
  depends="$(dpkg-deb -f "$deb" Depends)"
  [[ "$depends" == *libgtk-3-0* ]] || fail "certops does not depend on libgtk-3-0 (the console needs it)"
  [[ "$depends" != *xdg-utils* ]] || fail "certops depends on xdg-utils"
  ! dpkg-deb -I "$deb" postinst prerm | grep -v '^ *#' | grep -q xdg-desktop-menu || fail "the maintainer scripts still run xdg-desktop-menu"
  # desktop tools that fail, as on a machine with half a desktop: the package must not care
  mkdir -p "$tmp/failing-desktop"
  for tool in xdg-desktop-menu xdg-icon-resource update-desktop-database gtk-update-icon-cache; do
    printf '#!/bin/sh\necho "%s: No writable system menu directory found." >&2\nexit 3\n' "$tool" > "$tmp/failing-desktop/$tool"
    chmod +x "$tmp/failing-desktop/$tool"
  done
  PATH="$tmp/failing-desktop:$PATH" deb_cycle "$deb" certops
  [ -f /usr/share/applications/certops.desktop ] || fail "certops did not install its menu entry"
  [ -f /usr/share/icons/hicolor/256x256/apps/certops.png ] || fail "certops did not install its icon"
  if command -v desktop-file-validate > /dev/null; then desktop-file-validate /usr/share/applications/certops.desktop || fail "desktop-file-validate"; fi
  PATH="$tmp/failing-desktop:$PATH" deb_remove certops
  echo "certops deb: $(du -h "$deb" | cut -f1), installed $(dpkg-deb -f "$deb" Installed-Size) KiB, depends: $depends"

  if [ -n "$cli_dist" ]; then
    cli_deb="$(ls "$cli_dist"/certops-cli_*.deb | head -n 1)"
    cli_depends="$(dpkg-deb -f "$cli_deb" Depends)"
    for lib in libgtk libx11 libgl1 libasound libxtst; do
      [[ "$cli_depends" != *"$lib"* ]] || fail "certops-cli depends on $lib: $cli_depends"
    done
    ! dpkg-deb -c "$cli_deb" | grep -q -i 'javafx\|controlsfx\|\.desktop' || fail "certops-cli contains JavaFX or a menu entry"
    deb_cycle "$cli_deb" certops-cli
    set +e; certops > "$tmp/console-cli" 2>&1; rc=$?; set -e
    [ "$rc" = 64 ] && [ "$(wc -l < "$tmp/console-cli")" = 1 ] && grep -q "install the certops package" "$tmp/console-cli" \
        || fail "certops-cli without arguments (exit $rc): $(cat "$tmp/console-cli")"
    echo "ok: certops-cli refuses the console in one line: $(cat "$tmp/console-cli")"
    [ ! -e /usr/share/applications/certops.desktop ] || fail "certops-cli installed a menu entry"
    deb_remove certops-cli
    echo "certops-cli deb: $(du -h "$cli_deb" | cut -f1), installed $(dpkg-deb -f "$cli_deb" Installed-Size) KiB, depends: $cli_depends"
  fi
  [ -z "$(ls /opt | grep '^certops')" ] || fail "left in /opt: $(ls /opt | grep '^certops')"
fi

if [ "$installer" = rpm ]; then
  command -v rpm > /dev/null || fail "rpm is needed to inspect the .rpm (Debian: apt-get install rpm)"
  for r in "$dist"/certops-*.rpm ${cli_dist:+"$cli_dist"/certops-cli-*.rpm}; do
    [ -f "$r" ] || fail "no rpm at $r"
    name="$(rpm -qp --qf '%{NAME}' "$r" 2> /dev/null)"
    requires="$(rpm -qpR "$r" 2> /dev/null)"; files="$(rpm -qpl "$r" 2> /dev/null)"; scripts="$(rpm -qp --scripts "$r" 2> /dev/null)"
    [[ "$files" == *"/opt/$name/bin/certops"* ]] || fail "$name has no /opt/$name/bin/certops"
    ! echo "$files" | grep -qx '/opt\|/usr\|/usr/bin' || fail "$name claims a system folder (/opt, /usr): removing it could take it away"
    [[ "$files" == *"/opt/$name/lib/desktop-files.sh"* ]] || fail "$name has no lib/desktop-files.sh for its scriptlets"
    ! echo "$scripts" | grep -v '^ *#' | grep -q xdg-desktop-menu || fail "$name's scriptlets run xdg-desktop-menu"
    [[ "$scripts" == *"certops_app=/opt/$name"* ]] || fail "$name's scriptlets do not name /opt/$name"
    if [ "$name" = certops ]; then
      [[ "$requires" == *gtk3* ]] || fail "certops does not require gtk3"
      [[ "$files" == *"/opt/certops/lib/certops.desktop"* ]] || fail "certops has no menu entry"
    else
      [[ "$requires" != *gtk3* && "$requires" != *libX* ]] || fail "$name requires desktop libraries: $requires"
    fi
    echo "ok: $name rpm ($(du -h "$r" | cut -f1)): $(echo "$files" | wc -l) files, requires: $(echo $requires)"
  done
fi
echo "package smoke test passed"
