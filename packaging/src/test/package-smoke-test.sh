#!/usr/bin/env bash
# Checks what a user gets from the packages: the bundled launcher runs the commands headless,
# and the .deb installs into a root folder and runs the same way. Prints sizes and start-up time.
set -euo pipefail
dist="$1"; installer="${2:-deb}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

check_launcher() {
  local launcher="$1" label="$2"
  [[ "$("$launcher" --help)" == *"Create a workspace"* ]] || { echo "FAIL: $label --help does not list the commands"; exit 1; }
  "$launcher" init --workspace "$tmp/ws-$label" > /dev/null
  [[ "$("$launcher" config check --workspace "$tmp/ws-$label")" == *"is valid"* ]] || { echo "FAIL: $label config check"; exit 1; }
  [[ "$("$launcher" audit verify --workspace "$tmp/ws-$label")" == *"OK"* ]] || { echo "FAIL: $label audit verify"; exit 1; }
  echo "ok: $label runs --help, init, config check and audit verify headless"
}

image="$dist/certops/bin/certops"
[ -x "$image" ] || { echo "FAIL: no app image launcher at $image"; exit 1; }
check_launcher "$image" app-image
start=$(date +%s%N); "$image" --version > /dev/null; end=$(date +%s%N)
echo "app image: $(du -sh "$dist/certops" | cut -f1), headless start-up (--version): $(( (end - start) / 1000000 )) ms"

if [ "$installer" = deb ]; then
  deb="$(ls "$dist"/certops_*.deb | head -n 1)"
  depends="$(dpkg-deb -f "$deb" Depends)"; contents="$(dpkg-deb -c "$deb")"
  [[ "$depends" == *libgtk-3-0* ]] || { echo "FAIL: the .deb does not depend on libgtk-3-0"; exit 1; }
  [[ "$contents" == *.desktop* ]] || { echo "FAIL: the .deb has no desktop entry"; exit 1; }
  dpkg-deb -x "$deb" "$tmp/root"
  check_launcher "$tmp/root/opt/certops/bin/certops" deb
  echo "deb: $(du -h "$deb" | cut -f1) ($(basename "$deb")), depends: $depends"
fi
echo "package smoke test passed"
