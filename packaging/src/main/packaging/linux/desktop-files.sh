# Shared by the .deb and .rpm maintainer scripts (copied into the app image as lib/desktop-files.sh; the
# script that sources it sets certops_app, the installed folder: /opt/certops or /opt/certops-cli).
# The console's menu entry and icon go into the standard folders as plain files; the desktop caches are
# refreshed only when their tools exist, and a failure there never fails the package: a server has no
# desktop, and an install or removal must not depend on one.

certops_install() {
  # `certops` on the PATH, unless an administrator put something else there
  if [ ! -e /usr/bin/certops ] || [ "$(readlink /usr/bin/certops)" = "$certops_app/bin/certops" ]; then
    ln -sfn "$certops_app/bin/certops" /usr/bin/certops
  fi
  if [ -f "$certops_app/lib/certops.desktop" ]; then
    mkdir -p /usr/share/applications /usr/share/icons/hicolor/256x256/apps
    cp -f "$certops_app/lib/certops.desktop" /usr/share/applications/certops.desktop
    cp -f "$certops_app/lib/certops.png" /usr/share/icons/hicolor/256x256/apps/certops.png
    certops_refresh_desktop
  fi
}

certops_remove() {
  if [ "$(readlink /usr/bin/certops 2>/dev/null)" = "$certops_app/bin/certops" ]; then rm -f /usr/bin/certops; fi
  if [ -e /usr/share/applications/certops.desktop ]; then
    rm -f /usr/share/applications/certops.desktop /usr/share/icons/hicolor/256x256/apps/certops.png
    certops_refresh_desktop
  fi
  for unit in /etc/systemd/system/certops-renew.service; do
    if [ -f "$unit" ] && grep -q "^ExecStart=$certops_app/bin/certops" "$unit"; then
      echo "certops: $unit still runs $certops_app/bin/certops, which is now removed: install certops or certops-cli again, or disable the timer (systemctl disable --now certops-renew.timer)" >&2
    fi
  done
}

certops_refresh_desktop() {
  if command -v update-desktop-database > /dev/null 2>&1; then update-desktop-database -q /usr/share/applications > /dev/null 2>&1 || true; fi
  if command -v gtk-update-icon-cache > /dev/null 2>&1; then gtk-update-icon-cache -q -t /usr/share/icons/hicolor > /dev/null 2>&1 || true; fi
  return 0
}
