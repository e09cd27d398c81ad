#!/usr/bin/env bash
# Risk analysis at the issue's size (10,000 assets, 50,000 scenarios in one organisation), each
# figure beside what bounds it on the same machine in the same run:
#   * `rampart risk import` of the whole analysis (JSON, all or nothing) beside the sqlite3 shell's
#     `.import` of the same assets and scenarios as CSV into plain tables;
#   * p50/p95 of the register, its filters and pages, a scenario, the asset list, an asset, the
#     analysis and the heat map, one request at a time, as the bank's CISO;
#   * the scale change over HTTP (remap and rescore every scenario), three times;
#   * the pure recomputation of 50,000 scenarios per method (Google Benchmark).
#
#   bench/risk.sh [BUILD_DIR] [ASSETS] [SCENARIOS]      (defaults: build/release, 10000, 50000)
#
# Prints a markdown table and writes bench/results/risk.json.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
assets=${2:-10000}
scenarios=${3:-50000}
bin="$PWD/$build/rampart"
for tool in sqlite3 node; do
  command -v $tool >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done

work=$(mktemp -d /tmp/rampart-bench-risk.XXXXXX)
rampart_pid=
cleanup() {
  [[ -n "$rampart_pid" ]] && kill "$rampart_pid" 2>/dev/null && wait "$rampart_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ms() { echo $(( $(date +%s%N) / 1000000 )); }
pragmas="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"

db_path="$work/rampart.db"
db="sqlite:$db_path"
echo "bench: demo country" >&2
"$bin" demo --db "$db" >/dev/null
node bench/risk/generate.mjs "$work/analysis.json" "$work/plain" "$assets" "$scenarios"

echo "bench: importing $assets assets and $scenarios scenarios" >&2
t=$(ms)
"$bin" risk import "$work/analysis.json" --as ciso.bank1 --org HCB --db "$db" >"$work/import.log"
import_ms=$(( $(ms) - t ))
t=$(ms)
sqlite3 "$work/plain.db" "$pragmas" \
  "CREATE TABLE assets (id TEXT, name TEXT, type TEXT, depends_on TEXT);" \
  "CREATE TABLE scenarios (id TEXT, asset TEXT, threat TEXT, vulnerability TEXT, reduction TEXT, treatment TEXT);" \
  ".import --csv --skip 1 $work/plain-assets.csv assets" \
  ".import --csv --skip 1 $work/plain-scenarios.csv scenarios" >/dev/null
ceiling_import_ms=$(( $(ms) - t ))

RAMPART_ACCESS_LOG=false "$bin" serve --listen 127.0.0.1:0 --db "$db" >"$work/out.log" 2>"$work/err.log" &
rampart_pid=$!
for _ in $(seq 1 600); do
  grep -q "listening on" "$work/out.log" 2>/dev/null && break
  sleep 0.1
done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/out.log" | head -1)
[[ -n "$url" ]] || { cat "$work/err.log" >&2; exit 1; }
echo "bench: reads and scale changes" >&2
reads=$(node bench/risk/reads.mjs "$url" 200)
kill "$rampart_pid"; wait "$rampart_pid" 2>/dev/null || true; rampart_pid=

recompute="{}"
if [[ -x "$build/rampart_benchmarks" ]]; then
  recompute=$("$build/rampart_benchmarks" --benchmark_filter='Risk' --benchmark_repetitions=5 \
    --benchmark_report_aggregates_only=true --benchmark_format=json 2>/dev/null |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const o={};
      const per={ns:1e6,us:1e3,ms:1,s:1e-3};
      for (const b of JSON.parse(s).benchmarks) if (b.aggregate_name==="median") o[b.run_name]=+(b.real_time/per[b.time_unit]).toFixed(2);
      console.log(JSON.stringify(o));})')
fi

node - "$reads" "$recompute" "$import_ms" "$ceiling_import_ms" <<'NODE'
const [reads, recompute, importMs, ceilingMs] = process.argv.slice(2);
const r = JSON.parse(reads);
const c = JSON.parse(recompute);
const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const row = (...cells) => console.log(`| ${cells.join(' | ')} |`);
console.log(`At ${r.assets} assets and ${r.scenarios} scenarios in one analysis (SQLite):\n`);
row('work', 'Rampart', 'ceiling', 'ratio', 'budget');
row('---', '---', '---', '---', '---');
row('`rampart risk import` of the whole analysis (JSON)', s(+importMs), `sqlite3 \`.import\` of the same assets and scenarios as CSV: ${s(+ceilingMs)}`,
  `${((100 * +ceilingMs) / +importMs).toFixed(0)} %`, '< 5 s');
for (const [name, v] of Object.entries(r.reads)) row(`\`${name}\`, one at a time`, `p50 ${v.p50_ms} ms, p95 ${v.p95_ms} ms`, '—', '—', 'p95 < 20 ms');
row('scale change over HTTP (remap, rescore, write back)', r.rescale_ms.map((m) => `${m} ms`).join(', '), '—', '—', '< 100 ms');
for (const [name, v] of Object.entries(c)) row(`\`${name}\` (pure recomputation, median)`, `${v} ms`, '—', '—', '< 100 ms');
require('node:fs').mkdirSync('bench/results', { recursive: true });
require('node:fs').writeFileSync('bench/results/risk.json', JSON.stringify({
  import_ms: +importMs, ceiling_sqlite3_import_ms: +ceilingMs, ...r, recompute_median_ms: c,
  date: new Date().toISOString(),
}, null, 2) + '\n');
NODE
echo "bench: results in bench/results/risk.json" >&2
