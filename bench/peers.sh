#!/usr/bin/env bash
# certops against its peers, as whole commands on this machine (README "Benchmarks against peers"):
#   one HTTP-01 issuance, one DNS-01 issuance, 10 DNS-01 issuances at once (10 processes) — certops, certbot, lego
#   interleaved against one local Pebble (no validation sleep) and challtestsrv — and the same 10 as one
#   `certops issue t0 … t9` command;
#   a scan of 1,000 TLS endpoints (one nginx) — `certops estate scan` against a small Python ssl script, 32 threads.
# Prints each figure's min / median / max over the runs and the ratios of the medians.
#
#   bench/peers.sh [--runs N] [--only http|dns|ten|scan] [--keep]
#
# Needs root for apt-get when certbot or lego is missing (installs them), and pebble, pebble-challtestsrv,
# nginx, openssl, python3, curl. Uses $JAVA_HOME like ./certops does. Everything runs on 127.0.0.1 in a
# temporary folder, stopped by pid and removed at the end (--keep leaves the folder).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
certops="$here/certops"
runs=5; only=""; keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "peers.sh: unknown argument '$1' (try --help)" >&2; exit 64 ;;
  esac
done
want() { [ -z "$only" ] || [ "$only" = "$1" ]; }

for tool in pebble pebble-challtestsrv nginx openssl python3 curl; do
  command -v "$tool" >/dev/null || { echo "peers.sh: $tool is missing (apt-get install ${tool/pebble-challtestsrv/pebble})" >&2; exit 69; }
done
install_if_missing() {   # $1 command, $2 Debian package
  command -v "$1" >/dev/null && return 0
  if [ -z "$(apt-cache policy "$2" 2>/dev/null | sed -n 's/^ *Candidate: //p' | grep -v '(none)')" ]; then
    echo "peers.sh: $2 is not available from this machine's package sources: $1 is left out" >&2; return 1
  fi
  echo "peers.sh: installing $2 (apt-get install -y $2)..." >&2
  if [ "$(id -u)" -ne 0 ]; then sudo -n apt-get install -y -q "$2" >/dev/null; else apt-get install -y -q "$2" >/dev/null; fi
}
have_certbot=1; install_if_missing certbot certbot || have_certbot=""
have_lego=1; install_if_missing lego lego || have_lego=""

dir="$(mktemp -d /tmp/certops-peers.XXXXXX)"; chmod 755 "$dir"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ -z "$keep" ]; then rm -rf "$dir"; else echo "peers.sh: left $dir" >&2; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; echo "peers.sh: nothing listens on $1" >&2; exit 70; }
now() { echo "${EPOCHREALTIME/,/.}"; }

# --- TLS material: one CA; Pebble's HTTPS listener and the scanned endpoints use leaves it signed -------------
mkdir -p "$dir/tls"
( cd "$dir/tls"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key 2>/dev/null
  openssl req -x509 -new -key ca.key -days 2 -subj "/CN=certops peers bench CA" -out ca.pem 2>/dev/null
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out leaf.key 2>/dev/null
  openssl req -new -key leaf.key -subj "/CN=localhost" -out leaf.csr 2>/dev/null
  printf 'subjectAltName=DNS:localhost,DNS:bench.test,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > leaf.ext
  openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile leaf.ext -out leaf.pem 2>/dev/null
  cat leaf.pem ca.pem > fullchain.pem )

# --- Pebble and challtestsrv ---------------------------------------------------------------------------------
dns_port="$(free_port)"; cm_port="$(free_port)"; acme_port="$(free_port)"; pm_port="$(free_port)"; http_port="$(free_port)"; alpn_port="$(free_port)"
pebble-challtestsrv -management "127.0.0.1:$cm_port" -dns01 "127.0.0.1:$dns_port" -http01 "" -https01 "" -tlsalpn01 "" \
  -defaultIPv6 "" -defaultIPv4 127.0.0.1 > "$dir/challtestsrv.log" 2>&1 &
pids+=($!)
cat > "$dir/pebble.json" <<EOF
{"pebble":{"listenAddress":"127.0.0.1:$acme_port","managementListenAddress":"127.0.0.1:$pm_port",
 "certificate":"$dir/tls/leaf.pem","privateKey":"$dir/tls/leaf.key","httpPort":$http_port,"tlsPort":$alpn_port,
 "ocspResponderURL":"","externalAccountBindingRequired":false}}
EOF
PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0 pebble -config "$dir/pebble.json" -dnsserver "127.0.0.1:$dns_port" \
  > "$dir/pebble.log" 2>&1 &
pids+=($!)
wait_port "$cm_port"; wait_port "$acme_port"
directory="https://127.0.0.1:$acme_port/dir"

# --- certops workspace ---------------------------------------------------------------------------------------
ws="$dir/certops"
CERTOPS_NO_TRAINING=1 "$certops" init --workspace "$ws" > /dev/null
{
  echo "resolvers: [\"127.0.0.1:$dns_port\"]"
  echo "trust: [$dir/tls/ca.pem]"
  echo "cas:"
  echo "  - { id: pebble, directory: \"$directory\", trust: $dir/tls/ca.pem, contact: \"mailto:bench@bench.test\", agreeToTerms: true }"
  echo "dns:"
  echo "  - { id: lab, type: challtestsrv, url: \"http://127.0.0.1:$cm_port\" }"
  echo "hosts:"
  echo "  - { id: here, address: local, webroot: $dir/webroot, certDir: $dir/deployed }"
  echo "certificates:"
  echo "  - { id: h, names: [h.bench.test], challenge: { type: http-01, host: here }, cas: [pebble] }"
  echo "  - { id: d, names: [d.bench.test], challenge: { type: dns-01, dns: lab }, cas: [pebble] }"
  for i in 0 1 2 3 4 5 6 7 8 9; do
    echo "  - { id: t$i, names: [t$i.bench.test], challenge: { type: dns-01, dns: lab }, cas: [pebble] }"
  done
} > "$ws/certops.yaml"
mkdir -p "$dir/webroot" "$dir/deployed"
CERTOPS_NO_TRAINING=1 "$certops" config check --workspace "$ws" > "$dir/config-check.log" 2>&1 || { cat "$dir/config-check.log" >&2; exit 78; }
# ./certops' start-up archives, one per family of commands (ADR 0017), trained on this Pebble: the issuing commands'
# by an issuance from it (`issue d`: the training's, then the command's own), the scans' by a scan; the root's
# --help/--version by itself
echo "peers.sh: rebuilding ./certops' start-up archives from training runs that also issue from this Pebble..." >&2
rm -f "$here"/app/target/.certops-cli-* "$here"/app/target/.certops-root-* "$here"/app/target/.certops-work-*   # (the field's learned lists too)
# one issuance first, untrained: the training's own issuance is then a steady one, as every measured one is (the first
# creates the ACME account and its key; later ones read the key: ~150 classes a first issuance never loads)
CERTOPS_NO_TRAINING=1 "$certops" issue d --workspace "$ws" > /dev/null 2>&1 || true
CERTOPS_TRAIN_NOW=1 CERTOPS_TRAIN_WORKSPACE="$ws" CERTOPS_TRAIN_CERT=d "$certops" --version > /dev/null
CERTOPS_TRAIN_NOW=1 CERTOPS_TRAIN_WORKSPACE="$ws" CERTOPS_TRAIN_CERT=d "$certops" issue d --workspace "$ws" > /dev/null 2>&1 || true
CERTOPS_TRAIN_NOW=1 CERTOPS_TRAIN_WORKSPACE="$ws" CERTOPS_TRAIN_CERT=d "$certops" estate scan --workspace "$ws" > /dev/null 2>&1 || true

# --- the peers' command lines --------------------------------------------------------------------------------
cat > "$dir/txt-hook.sh" <<EOF
#!/bin/sh
# certbot (manual hooks: CERTBOT_DOMAIN, CERTBOT_VALIDATION) and lego's exec provider (present|cleanup FQDN VALUE)
if [ -n "\${CERTBOT_DOMAIN:-}" ]; then action=\${1:-present}; fqdn="_acme-challenge.\$CERTBOT_DOMAIN."; value="\$CERTBOT_VALIDATION"
else action="\$1"; fqdn="\$2"; value="\$3"; fi
if [ "\$action" = present ]; then
  curl -s -X POST -d "{\"host\":\"\$fqdn\",\"value\":\"\$value\"}" http://127.0.0.1:$cm_port/set-txt
else
  curl -s -X POST -d "{\"host\":\"\$fqdn\"}" http://127.0.0.1:$cm_port/clear-txt
fi
EOF
chmod +x "$dir/txt-hook.sh"
certbot_cmd() {   # $1 http|dns, $2 name, $3 config folder
  local c=(certbot certonly -n --agree-tos -m bench@bench.test --no-eff-email --server "$directory" --force-renewal
           --config-dir "$3" --work-dir "$3/work" --logs-dir "$3/logs" -d "$2")
  if [ "$1" = http ]; then c+=(--standalone --http-01-port "$http_port" --http-01-address 127.0.0.1)
  else c+=(--manual --preferred-challenges dns --manual-auth-hook "$dir/txt-hook.sh present" --manual-cleanup-hook "$dir/txt-hook.sh cleanup"); fi
  REQUESTS_CA_BUNDLE="$dir/tls/ca.pem" "${c[@]}"
}
lego_cmd() {      # $1 http|dns, $2 name, $3 folder
  local c=(lego --accept-tos --email bench@bench.test --server "$directory" --path "$3" --domains "$2")
  if [ "$1" = http ]; then c+=(--http --http.port "127.0.0.1:$http_port")
  else c+=(--dns exec --dns.resolvers "127.0.0.1:$dns_port" --dns.disable-cp); fi
  LEGO_CA_CERTIFICATES="$dir/tls/ca.pem" EXEC_PATH="$dir/txt-hook.sh" EXEC_POLLING_INTERVAL=1 EXEC_PROPAGATION_TIMEOUT=60 "${c[@]}" run
}
certops_cmd() {   # $1 http|dns, $2 certificate id
  if [ "$1" = http ]; then "$certops" issue "$2" --workspace "$ws" --http01-listen "127.0.0.1:$http_port"
  else "$certops" issue "$2" --workspace "$ws"; fi
}

# --- timing --------------------------------------------------------------------------------------------------
declare -A times
record() { times[$1]="${times[$1]:-} $2"; }
timed() {        # $1 figure, then the command; its output goes to the log, a failure stops the bench
  local key="$1"; shift
  local t0 t1; t0="$(now)"
  if ! "$@" >> "$dir/runs.log" 2>&1; then echo "peers.sh: '$key' failed; its output is in $dir/runs.log" >&2; keep=1; exit 1; fi
  t1="$(now)"; record "$key" "$(python3 -c "print(f'{$t1-$t0:.3f}')")"
}
ten() {          # $1 tool: 10 DNS-01 issuances at once, 10 processes
  local p=() i rc=0
  for i in 0 1 2 3 4 5 6 7 8 9; do
    case "$1" in
      certops) certops_cmd dns "t$i" & ;;
      certbot) certbot_cmd dns "t$i.bench.test" "$dir/certbot-t$i" & ;;
      lego) lego_cmd dns "t$i.bench.test" "$dir/lego-t$i" & ;;
    esac
    p+=($!)
  done
  for i in "${p[@]}"; do wait "$i" || rc=1; done
  return $rc
}
ten_one_command() { "$certops" issue t0 t1 t2 t3 t4 t5 t6 t7 t8 t9 --workspace "$ws"; }   # 10 at once in one process
peers=(certops); [ -n "$have_certbot" ] && peers+=(certbot); [ -n "$have_lego" ] && peers+=(lego)
one() {          # $1 tool, $2 http|dns, $3 figure prefix ("" = the warm-up, not counted)
  local name="h.bench.test" id=h; [ "$2" = dns ] && name="d.bench.test" && id=d
  local key="${3:+$3 $2-01 $1}"; key="${key:-warmup}"
  case "$1" in
    certops) timed "$key" certops_cmd "$2" "$id" ;;
    certbot) timed "$key" certbot_cmd "$2" "$name" "$dir/certbot-$2" ;;
    lego) timed "$key" lego_cmd "$2" "$name" "$dir/lego-$2" ;;
  esac
}

# warm-up: accounts registered, archives built, page cache warm (not counted)
for t in "${peers[@]}"; do want http && one "$t" http ""; want dns && one "$t" dns ""; done
for r in $(seq 1 "$runs"); do
  for t in "${peers[@]}"; do
    want http && one "$t" http "one"
    want dns && one "$t" dns "one"
  done
done
if want ten; then
  for t in "${peers[@]}"; do timed warmup ten "$t"; done
  timed warmup ten_one_command
  for r in $(seq 1 "$runs"); do
    for t in "${peers[@]}"; do timed "ten dns-01 $t" ten "$t"; done
    timed "ten dns-01 certops 1 cmd" ten_one_command
  done
fi

# --- 1,000 TLS endpoints: one nginx, 1,000 server blocks on distinct ports ----------------------------------
if want scan; then
  base=""
  # 1,000 consecutive free ports below the ephemeral range (a port some connection uses as its own end cannot be bound)
  ephemeral="$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)"
  slots=$(( (ephemeral - 1000 - 20000) / 100 )); [ "$slots" -ge 1 ] || slots=1
  for _ in $(seq 1 20); do
    b=$(( (RANDOM % slots) * 100 + 20000 ))
    if ! ss -Htln "( sport >= :$b and sport < :$((b + 1000)) )" | grep -q .; then base=$b; break; fi
  done
  [ -n "$base" ] || { echo "peers.sh: found no 1,000 free ports in a row" >&2; exit 70; }
  mkdir -p "$dir/nginx/logs"
  {
    echo "worker_processes 2; worker_rlimit_nofile 8192; pid $dir/nginx/nginx.pid; error_log $dir/nginx/logs/error.log;"
    echo "events { worker_connections 4096; }"
    echo "http { access_log off; client_body_temp_path $dir/nginx/tmp; proxy_temp_path $dir/nginx/tmp; fastcgi_temp_path $dir/nginx/tmp;"
    echo "  uwsgi_temp_path $dir/nginx/tmp; scgi_temp_path $dir/nginx/tmp;"
    echo "  ssl_certificate $dir/tls/fullchain.pem; ssl_certificate_key $dir/tls/leaf.key;"
    for p in $(seq "$base" $((base + 999))); do echo "  server { listen 127.0.0.1:$p ssl; return 200; }"; done
    echo "}"
  } > "$dir/nginx/nginx.conf"
  mkdir -p "$dir/nginx/tmp"
  nginx -e stderr -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -g 'daemon off;' > "$dir/nginx/logs/stderr.log" 2>&1 &
  pids+=($!)
  wait_port $((base + 999))
  scan_ws="$dir/scan"
  CERTOPS_NO_TRAINING=1 "$certops" init --workspace "$scan_ws" > /dev/null
  { echo "trust: [$dir/tls/ca.pem]"; echo "endpoints:"
    for p in $(seq "$base" $((base + 999))); do echo "  - { host: 127.0.0.1, port: $p, sni: bench.test }"; done; } > "$scan_ws/certops.yaml"
  cat > "$dir/scan.py" <<'EOF'
# The peer: connect, handshake, read the certificate — 1,000 endpoints, 32 threads.
import socket, ssl, sys
from concurrent.futures import ThreadPoolExecutor
ca, base = sys.argv[1], int(sys.argv[2])
ctx = ssl.create_default_context(cafile=ca)
def probe(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            with ctx.wrap_socket(s, server_hostname="bench.test") as t:
                return t.getpeercert()["notAfter"]
    except Exception as e:
        return "error: %s" % e
with ThreadPoolExecutor(32) as pool:
    results = list(pool.map(probe, range(base, base + 1000)))
bad = [r for r in results if r.startswith("error")]
print("%d endpoints, %d failed" % (len(results), len(bad)))
sys.exit(1 if bad else 0)
EOF
  scan_certops() { "$certops" estate scan --workspace "$scan_ws" || [ $? -le 2 ]; }   # 1 and 2 are findings, not failures
  timed warmup scan_certops; timed warmup python3 "$dir/scan.py" "$dir/tls/ca.pem" "$base"
  for r in $(seq 1 "$runs"); do
    timed "scan 1,000 certops" scan_certops
    timed "scan 1,000 python" python3 "$dir/scan.py" "$dir/tls/ca.pem" "$base"
  done
fi

# --- figures -------------------------------------------------------------------------------------------------
java_used="$("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -n 1)"
echo
echo "certops peers bench: $runs runs each, interleaved; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $java_used"
python3 - "$runs" <<EOF
import statistics, sys
figures = {}
$(for k in "${!times[@]}"; do [ "$k" = warmup ] && continue; echo "figures['$k'] = [float(x) for x in '${times[$k]}'.split()]"; done)
rows = sorted(figures)
print("%-28s %8s %8s %8s" % ("figure (seconds)", "min", "median", "max"))
for k in rows:
    v = figures[k]
    print("%-28s %8.3f %8.3f %8.3f" % (k, min(v), statistics.median(v), max(v)))
def med(k): return statistics.median(figures[k]) if k in figures else None
print()
for what, mine in (("one http-01", "certops"), ("one dns-01", "certops"), ("ten dns-01", "certops"), ("ten dns-01", "certops 1 cmd")):
    c = med(what + " " + mine)
    for peer in ("certbot", "lego"):
        p = med(what + " " + peer)
        if c and p: print("%-28s %s is %.2fx faster than %s (median)" % (what, mine, p / c, peer))
c, p = med("scan 1,000 certops"), med("scan 1,000 python")
if c and p: print("%-28s certops %.2fx the speed of the Python script (median)" % ("scan 1,000", p / c))
EOF
