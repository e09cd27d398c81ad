#!/usr/bin/env bash
# STIX and TAXII, each figure beside what bounds it on the same machine in the same run:
#   * `rampart stix import` of a generated bundle of N indicators (SQLite, one transaction,
#     streamed) in MB/s, beside simdjson parsing the same bytes as one document with nothing
#     stored (bench/stix/parse.cc, the ceiling of the parse alone); CPU seconds and peak memory
#     of the import beside them;
#   * TAXII pages of 1,000 objects (GET …/objects/?limit=1000 as a bank's CISO with an API token,
#     keep-alive, wrk -t2 -c8), pages/s and objects/s with p50/p99.
#
#   bench/stix.sh [BUILD_DIR] [N] [SECONDS]      (defaults: build/release, 100000, 10)
#
# Prints a markdown table and writes bench/results/stix.json.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
count=${2:-100000}
seconds=${3:-10}
bin="$PWD/$build/rampart"
for tool in wrk node g++; do
  command -v $tool >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done

work=$(mktemp -d /tmp/rampart-bench-stix.XXXXXX)
rampart_pid=
cleanup() {
  [[ -n "$rampart_pid" ]] && kill "$rampart_pid" 2>/dev/null && wait "$rampart_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
national=5f0e3c1a-7b2d-4e8f-9a61-3c2d1b0a9e77

db="sqlite:$work/rampart.db"
echo "bench: demo country and a bundle of $count indicators" >&2
"$bin" demo --db "$db" >/dev/null
node bench/stix/generate.mjs "$work/bundle.json" "$count"
bytes=$(stat -c %s "$work/bundle.json")

echo "bench: ceiling (simdjson parse of the same bytes)" >&2
g++ -O2 -std=c++20 bench/stix/parse.cc -lsimdjson -o "$work/parse"
read -r parse_s parsed kernel < <("$work/parse" "$work/bundle.json")
[[ "$parsed" == "$count" ]] || { echo "bench: the ceiling parsed $parsed objects" >&2; exit 1; }

echo "bench: rampart stix import" >&2
/usr/bin/time -f '%e %U %S %M' -o "$work/time" \
  "$bin" stix import "$work/bundle.json" --org NatCERT --tlp green --db "$db" 2>"$work/import.log"
read -r import_s user_s sys_s rss_kb <"$work/time"

token=$("$bin" token create ciso.bank1 --name bench --days 1 --db "$db" 2>/dev/null)
RAMPART_ACCESS_LOG=false "$bin" serve --listen 127.0.0.1:0 --db "$db" >"$work/out.log" 2>"$work/err.log" &
rampart_pid=$!
for _ in $(seq 1 600); do
  grep -q "listening on" "$work/out.log" 2>/dev/null && break
  sleep 0.1
done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/out.log" | head -1)
[[ -n "$url" ]] || { cat "$work/err.log" >&2; exit 1; }
page="$url/taxii2/api/collections/$national/objects/?limit=1000"
got=$(curl -s -H "Authorization: Bearer $token" -H 'Accept: application/taxii+json;version=2.1' "$page" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).objects.length))')
[[ "$got" == 1000 ]] || { echo "bench: a page held $got objects" >&2; exit 1; }
echo "bench: TAXII pages of 1,000 objects for ${seconds}s" >&2
out=$(wrk -t2 -c8 -d"${seconds}s" --latency -H "Authorization: Bearer $token" \
  -H 'Accept: application/taxii+json;version=2.1' "$page")
pages=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
errors=$(grep -c "Non-2xx" <<<"$out" || true)
[[ "$errors" == 0 ]] || { echo "$out" >&2; exit 1; }
kill "$rampart_pid"; wait "$rampart_pid" 2>/dev/null || true; rampart_pid=

node - "$bytes" "$count" "$parse_s" "$kernel" "$import_s" "$user_s" "$sys_s" "$rss_kb" "$pages" "$p50" "$p99" <<'NODE'
const [bytes, count, parseS, kernel, importS, userS, sysS, rssKb, pages, p50, p99] = process.argv.slice(2);
const mb = bytes / 1e6;
const importMbs = mb / importS;
const parseMbs = mb / parseS;
const cpuMbs = mb / (+userS + +sysS);
const row = (...c) => console.log(`| ${c.join(' | ')} |`);
console.log(`A bundle of ${count} indicators, ${mb.toFixed(1)} MB (SQLite):\n`);
row('Work', 'Rampart', 'Ceiling', 'Ratio', 'Budget');
row('---', '---', '---', '---', '---');
row('STIX bundle import (streamed, stored, one transaction)', `${importMbs.toFixed(1)} MB/s (${(+importS).toFixed(2)} s wall, ${cpuMbs.toFixed(1)} MB/s of CPU, peak ${(rssKb / 1024).toFixed(0)} MiB)`,
    `${parseMbs.toFixed(0)} MB/s (simdjson ${kernel} parse, nothing stored)`, `${(importMbs / parseMbs * 100).toFixed(1)} %`,
    `≥ 50 MB/s: ${importMbs >= 50 ? 'met' : 'not met'}`);
row('TAXII pages of 1,000 objects (wrk -t2 -c8, keep-alive)', `${(+pages).toFixed(0)} pages/s = ${(pages * 1000).toFixed(0)} objects/s (p50 ${p50}, p99 ${p99})`,
    '—', '—', `≥ 1,000 pages/s: ${pages >= 1000 ? 'met' : 'not met'}`);
const fs = require('fs');
fs.mkdirSync('bench/results', { recursive: true });
fs.writeFileSync('bench/results/stix.json', JSON.stringify({
  at: new Date().toISOString(), indicators: +count, bundle_bytes: +bytes,
  import: { seconds: +importS, mb_per_s: +importMbs.toFixed(2), cpu_seconds: +userS + +sysS, peak_rss_kib: +rssKb },
  ceiling_parse: { seconds: +parseS, mb_per_s: +parseMbs.toFixed(2), kernel },
  taxii_pages: { pages_per_s: +pages, objects_per_page: 1000, p50, p99 },
}, null, 2) + '\n');
NODE
