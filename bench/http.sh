#!/usr/bin/env bash
# HTTP throughput and latency of `rampart serve` beside nginx serving the same response bytes from
# files, both on loopback, measured in the same run with wrk. Also start-up time and idle memory.
#
#   bench/http.sh [BUILD_DIR] [SECONDS]      (defaults: build/release, 10)
#
# Prints a markdown table; the ceiling is nginx, the ratio is rampart / nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
seconds=${2:-10}
bin="$PWD/$build/rampart"
for tool in wrk nginx; do
  command -v $tool >/dev/null || { echo "bench: $tool is missing (apt-get install wrk nginx-light)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/rampart-bench.XXXXXX)
rampart_pid=
nginx_conf="$work/nginx.conf"
cleanup() {
  [[ -n "$rampart_pid" ]] && kill "$rampart_pid" 2>/dev/null && wait "$rampart_pid" 2>/dev/null || true
  [[ -f "$work/nginx.pid" ]] && nginx -c "$nginx_conf" -s stop 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

db="sqlite:$work/rampart.db"
RAMPART_ACCESS_LOG=false "$bin" serve --listen 127.0.0.1:0 --db "$db" --demo >"$work/out.log" 2>"$work/err.log" &
rampart_pid=$!
for _ in $(seq 1 300); do
  grep -q "listening on" "$work/out.log" 2>/dev/null && break
  sleep 0.1
done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/out.log" | head -1)
[[ -n "$url" ]] || { cat "$work/err.log" >&2; exit 1; }

# Start-up time of a second server on the now-populated database (no demo seeding, migrated).
start_ns=$(date +%s%N)
RAMPART_ACCESS_LOG=false "$bin" serve --listen 127.0.0.1:0 --db "$db" >"$work/out2.log" 2>&1 &
second=$!
until grep -q "listening on" "$work/out2.log" 2>/dev/null; do sleep 0.005; done
url2=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/out2.log" | head -1)
until curl -sf "$url2/readyz" >/dev/null; do sleep 0.005; done
startup_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
kill "$second"; wait "$second" 2>/dev/null || true

token=$("$bin" token create cert.admin --name bench --days 1 --db "$db" 2>/dev/null)
rss_idle_kb=$(awk '/VmRSS/ {print $2}' /proc/$rampart_pid/status)

# The same bytes for nginx to serve.
mkdir -p "$work/www"
curl -sf "$url/healthz" >"$work/www/healthz"
curl -sf -H "Authorization: Bearer $token" "$url/api/v1/organisations?limit=50" >"$work/www/organisations"
cat >"$nginx_conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/json;
  server {
    listen 127.0.0.1:18099;
    root $work/www;
    location / { try_files \$uri =404; }
  }
}
NGINX
nginx -c "$nginx_conf"
sleep 0.3

# wrk prints latency percentiles with --latency; take requests/s and p50/p99.
measure() {  # name url [header]
  local out
  if [[ -n "${3:-}" ]]; then
    out=$(wrk -t2 -c64 -d"${seconds}s" --latency -H "$3" "$2")
  else
    out=$(wrk -t2 -c64 -d"${seconds}s" --latency "$2")
  fi
  local rps p50 p99 non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "$rps $p50 $p99 ${non2xx:-0}"
}

echo "| work | rampart req/s | p50 | p99 | nginx req/s (same bytes) | nginx p99 | ratio |"
echo "|---|---|---|---|---|---|---|"
row() {  # label rampart_url nginx_url [header]
  read -r r50 r_p50 r_p99 r_bad <<<"$(measure "$1" "$2" "${4:-}")"
  read -r n50 n_p50 n_p99 n_bad <<<"$(measure "$1" "$3")"
  [[ "$r_bad" == 0 ]] || echo "warning: $r_bad non-2xx answers from rampart for $1" >&2
  ratio=$(awk -v a="$r50" -v b="$n50" 'BEGIN { printf "%.0f %%", 100 * a / b }')
  echo "| $1 | $r50 | $r_p50 | $r_p99 | $n50 | $n_p99 | $ratio |"
}
row "GET /healthz" "$url/healthz" "http://127.0.0.1:18099/healthz"
row "GET /api/v1/organisations?limit=50 (bearer token)" "$url/api/v1/organisations?limit=50" \
  "http://127.0.0.1:18099/organisations" "Authorization: Bearer $token"
rss_after_kb=$(awk '/VmHWM/ {print $2}' /proc/$rampart_pid/status)
echo
echo "start-up to ready: ${startup_ms} ms; resident memory idle after demo seeding: $((rss_idle_kb / 1024)) MiB; peak during the runs: $((rss_after_kb / 1024)) MiB"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
