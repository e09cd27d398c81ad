#!/usr/bin/env bash
# The ISMS at the issue's size: 1,000 organisations with two Statements of Applicability each
# (ISO/IEC 27001:2022, 123 requirements, and NIST CSF 2.0, 106: 229,000 assessed requirements),
# each figure beside what bounds it where there is a bound:
#   * p50/p95 of the SoA reads one at a time as the bank's CISO: the SoA list, a page of 50, the
#     next page, a status filter, a text search, a requirement's detail;
#   * the exports of a 1,000-control SoA: over HTTP (median of 5), and `rampart soa export` with
#     its peak resident memory, beside the same process exporting the 123-control SoA (the memory
#     that does not grow with the document).
# The other organisations' rows are written by the sqlite3 shell from the bank's own (copied with
# varied status and maturity): the bank's pages read the same indexes as in a national deployment.
#
#   bench/isms.sh [BUILD_DIR] [ORGANISATIONS]      (defaults: build/release, 1000)
#
# Prints a markdown table and writes bench/results/isms.json.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
orgs=${2:-1000}
case "$build" in /*) bin="$build/rampart" ;; *) bin="$PWD/$build/rampart" ;; esac
for tool in sqlite3 node /usr/bin/time; do
  command -v $tool >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done

work=$(mktemp -d /tmp/rampart-bench-isms.XXXXXX)
rampart_pid=
cleanup() {
  [[ -n "$rampart_pid" ]] && kill "$rampart_pid" 2>/dev/null && wait "$rampart_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ms() { echo $(( $(date +%s%N) / 1000000 )); }

start_server() {
  RAMPART_ACCESS_LOG=false "$bin" serve --listen 127.0.0.1:0 --db "$db" >"$work/out.log" 2>"$work/err.log" &
  rampart_pid=$!
  for _ in $(seq 1 600); do
    grep -q "listening on" "$work/out.log" 2>/dev/null && break
    sleep 0.1
  done
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/out.log" | head -1)
  [[ -n "$url" ]] || { cat "$work/err.log" >&2; exit 1; }
}
stop_server() { kill "$rampart_pid"; wait "$rampart_pid" 2>/dev/null || true; rampart_pid=; }

db_path="$work/rampart.db"
db="sqlite:$db_path"
echo "bench: demo country" >&2
"$bin" demo --db "$db" >/dev/null
start_server
org=$(node bench/isms/setup.mjs "$url")
stop_server

echo "bench: SoAs of $orgs organisations with the sqlite3 shell" >&2
t=$(ms)
sqlite3 "$db_path" <<SQL >/dev/null
PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-500000;
BEGIN;
CREATE TEMP TABLE have AS SELECT COUNT(DISTINCT organisation_id) AS n FROM soas;
CREATE TEMP TABLE sec AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM sectors;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $orgs - (SELECT n FROM have))
INSERT INTO organisations (id, name, short_name, kind, criticality_tier, size_class, created_at, updated_at)
  SELECT printf('bench-org-%06d', i), printf('Benchmark operator %06d', i), printf('B%06d', i),
         'operator', 1 + i % 3, CASE i % 4 WHEN 0 THEN 'small' WHEN 1 THEN 'medium' ELSE 'large' END,
         0, 0 FROM n;
INSERT INTO organisation_sectors (organisation_id, sector_id)
  SELECT o.id, s.id FROM organisations o
  JOIN sec s ON s.k = CAST(substr(o.id, 11) AS INTEGER) % (SELECT COUNT(*) FROM sec)
  WHERE o.id LIKE 'bench-org-%';
CREATE TEMP TABLE tmpl AS SELECT id, framework_urn, framework_ref, framework_revision, created_by
  FROM soas WHERE organisation_id = '$org' AND framework_ref IN ('iso27001-2022', 'nist-csf-2.0');
CREATE TEMP TABLE new_soas AS
  SELECT o.id || '-' || t.framework_ref AS id, o.id AS org, t.id AS tmpl, t.* FROM organisations o, tmpl t
  WHERE o.id LIKE 'bench-org-%';
INSERT INTO soas (id, organisation_id, framework_urn, framework_ref, framework_revision, created_by,
                  created_at, updated_at)
  SELECT id, org, framework_urn, framework_ref, framework_revision, created_by, 0, 0 FROM new_soas;
INSERT INTO soa_entries (soa_id, requirement_id, position, grp, title, applicable, just_best_practice,
                         justification, status, maturity, updated_at)
  SELECT sid, requirement_id, position, grp, title,
         CASE WHEN h % 20 = 0 THEN 0 ELSE 1 END, 1,
         CASE WHEN h % 20 = 0 THEN 'Outside the scope of the ISMS' ELSE '' END,
         CASE WHEN h % 20 = 0 THEN 'not_applicable'
              ELSE CASE h % 5 WHEN 0 THEN 'not_started' WHEN 1 THEN 'planned' WHEN 2 THEN 'partial'
                   ELSE 'implemented' END END,
         CASE WHEN h % 20 = 0 THEN NULL ELSE h % 6 END, 0
  FROM (SELECT s.id AS sid, e.requirement_id, e.position, e.grp, e.title,
               (e.position * 7919 + CAST(substr(s.org, 11) AS INTEGER) * 104729) % 1000003 AS h
        FROM new_soas s JOIN soa_entries e ON e.soa_id = s.tmpl);
COMMIT;
SQL
generate_ms=$(( $(ms) - t ))
rows=$(sqlite3 "$db_path" "SELECT COUNT(*) FROM soa_entries")
with_soa=$(sqlite3 "$db_path" "SELECT COUNT(DISTINCT organisation_id) FROM soas")

start_server
echo "bench: reads" >&2
reads=$(node bench/isms/reads.mjs "$url" "$org" 200)
stop_server

echo "bench: exports with the command line" >&2
export_cli() {  # FRAMEWORK FORMAT -> "ms kB"
  local t0 t1 rss
  t0=$(ms)
  /usr/bin/time -f '%M' -o "$work/time.txt" "$bin" soa export --db "$db" --org HCB --framework "$1" \
    --format "$2" --out "$work/export.$2" 2>/dev/null
  t1=$(ms)
  rss=$(tail -1 "$work/time.txt")
  echo "$(( t1 - t0 )) $rss $(stat -c %s "$work/export.$2")"
}
xlsx_1000=$(export_cli bench-1000 xlsx)
xlsx_123=$(export_cli iso27001-2022 xlsx)
html_1000=$(export_cli bench-1000 html)

node - "$reads" "$rows" "$with_soa" "$generate_ms" "$xlsx_1000" "$xlsx_123" "$html_1000" <<'NODE'
const [reads, rows, orgs, genMs, x1000, x123, h1000] = process.argv.slice(2);
const r = JSON.parse(reads);
const cli = (s) => { const [ms, kb, bytes] = s.split(' ').map(Number); return { ms, peak_rss_mb: +(kb / 1024).toFixed(1), bytes }; };
const e = { xlsx_1000: cli(x1000), xlsx_123: cli(x123), html_1000: cli(h1000) };
const row = (...cells) => console.log(`| ${cells.join(' | ')} |`);
console.log(`${orgs} organisations with SoAs, ${rows} assessed requirements (SQLite; generated in ${(genMs / 1000).toFixed(1)} s):\n`);
row('work', 'Rampart', 'comparison', 'budget');
row('---', '---', '---', '---');
for (const [name, v] of Object.entries(r.reads)) row(`\`${name}\`, one at a time`, `p50 ${v.p50_ms} ms, p95 ${v.p95_ms} ms`, '—', 'p95 < 20 ms');
for (const [name, v] of Object.entries(r.exports_ms)) row(`HTTP ${name}, median of 5`, `${v.median_ms} ms (${(v.bytes / 1024).toFixed(0)} KB)`, '—', '—');
row('`rampart soa export` XLSX, 1,000 controls', `${e.xlsx_1000.ms} ms, peak RSS ${e.xlsx_1000.peak_rss_mb} MB`,
  `123 controls: ${e.xlsx_123.ms} ms, peak RSS ${e.xlsx_123.peak_rss_mb} MB`, 'memory not proportional to the document');
row('`rampart soa export` HTML, 1,000 controls', `${e.html_1000.ms} ms, peak RSS ${e.html_1000.peak_rss_mb} MB`, '—', '—');
require('node:fs').mkdirSync('bench/results', { recursive: true });
require('node:fs').writeFileSync('bench/results/isms.json', JSON.stringify({
  organisations: +orgs, assessed_requirements: +rows, generate_ms: +genMs, ...r, cli_exports: e,
  date: new Date().toISOString(),
}, null, 2) + '\n');
NODE
echo "bench: results in bench/results/isms.json" >&2
