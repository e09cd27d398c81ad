#!/usr/bin/env bash
# The national threat profile at national scale, each figure beside what bounds it:
#   * N synthetic incidents (default 10,000,000) over ten years, written straight into the
#     incidents table by the sqlite3 shell (the incident rows only: the profile reads nothing else);
#   * `rampart profile verify --repair`: the roll-ups recomputed from those rows (what the write
#     path keeps up to date one incident at a time; the unit tests prove both agree);
#   * p50/p99 of profile queries one at a time as the national CERT, a regulator and an operator,
#     beside the sqlite3 shell's GROUP BY of the same question on the raw rows.
#
#   bench/profile.sh [BUILD_DIR] [N]      (defaults: build/release, 10000000)
#
# Prints a markdown table and writes bench/results/profile.json.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
n=${2:-10000000}
bin="$PWD/$build/rampart"
for tool in sqlite3 node; do
  command -v $tool >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done

work=$(mktemp -d /tmp/rampart-bench-profile.XXXXXX)
rampart_pid=
cleanup() {
  [[ -n "$rampart_pid" ]] && kill "$rampart_pid" 2>/dev/null && wait "$rampart_pid" 2>/dev/null || true
  # RAMPART_BENCH_KEEP=1 keeps the database for a closer look.
  if [[ -n "${RAMPART_BENCH_KEEP:-}" ]]; then echo "bench: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
ms() { echo $(( $(date +%s%N) / 1000000 )); }

db_path="$work/rampart.db"
db="sqlite:$db_path"
echo "bench: demo country" >&2
"$bin" demo --db "$db" >/dev/null

# Ten years of incidents of every operator and public body, a deterministic hash of the row number
# choosing organisation, month (more in winter), class and type, severity, root cause, impact and
# state (2 % rejected or duplicates, which the profile leaves out).
echo "bench: writing $n incidents with the sqlite3 shell" >&2
t=$(ms)
sqlite3 "$db_path" <<SQL >/dev/null
PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-1000000;
CREATE TEMP TABLE o AS
  SELECT row_number() OVER (ORDER BY o.id) - 1 AS k, o.id AS id,
         (SELECT MIN(sector_id) FROM organisation_sectors s WHERE s.organisation_id = o.id) AS sector
  FROM organisations o WHERE o.kind IN ('operator', 'government')
  AND EXISTS (SELECT 1 FROM organisation_sectors s WHERE s.organisation_id = o.id);
CREATE TEMP TABLE c (k INTEGER, class TEXT, type TEXT);
INSERT INTO c VALUES (0,'availability','outage'),(1,'availability','ddos'),(2,'malicious-code','ransomware'),
  (3,'malicious-code','infected-system'),(4,'fraud','phishing'),(5,'intrusions','system-compromise'),
  (6,'intrusion-attempts','exploit-known-vuln'),(7,'information-content-security','unauthorised-information-access'),
  (8,'abusive-content','spam'),(9,'information-gathering','scanner'),(10,'vulnerable','vulnerable-system'),
  (11,'other','undetermined');
CREATE TEMP TABLE sev (k INTEGER, s TEXT);
INSERT INTO sev VALUES (0,'low'),(1,'low'),(2,'medium'),(3,'medium'),(4,'high'),(5,'critical'),(6,NULL);
CREATE TEMP TABLE rc (k INTEGER, r TEXT);
INSERT INTO rc VALUES (0,'system_failure'),(1,'human_error'),(2,'malicious_action'),(3,'third_party_failure'),
  (4,'natural_phenomenon'),(5,NULL),(6,NULL);
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n),
r AS (SELECT i, (i * 2654435761) % 4294967296 AS a, (i * 40503 + 7) % 65521 AS b FROM n),
h AS (SELECT i, a, b, base + (a % (10 * 365 * 86400)) * 1000 AS at
      FROM r, (SELECT CAST(strftime('%s', 'now') AS INTEGER) * 1000 - 10 * 365 * 86400000 AS base))
INSERT INTO incidents (id, reference, organisation_id, sector_id, profile_id, title, aware_at,
  suspected_malicious, rsit_class, rsit_type, severity, significant, users_affected, duration_hours,
  root_cause, early_warning_at, final_at, resolved_at, state, filed_by, created_at, updated_at)
SELECT printf('bench-%012d', i), printf('INC-B-%010d', i), o.id, o.sector, 'nis2-default',
  'Synthetic incident', h.at, CASE WHEN a % 3 = 0 THEN 'yes' ELSE 'unknown' END,
  c.class, c.type, sev.s, CASE WHEN sev.s IN ('high', 'critical') THEN 1 ELSE 0 END,
  CASE WHEN b % 4 = 0 THEN b * 13 ELSE NULL END, CASE WHEN b % 5 = 0 THEN b % 72 ELSE NULL END,
  rc.r, h.at + (b % 48) * 3600000, h.at + (b % 30) * 86400000, h.at + (b % 40) * 86400000,
  CASE WHEN a % 50 = 0 THEN 'rejected' WHEN a % 50 = 1 THEN 'duplicate' ELSE 'closed' END,
  (SELECT id FROM users ORDER BY id LIMIT 1), h.at, h.at
FROM h
JOIN o ON o.k = h.a % (SELECT COUNT(*) FROM o)
JOIN c ON c.k = (h.b / 7) % 12
JOIN sev ON sev.k = (h.a / 11) % 7
JOIN rc ON rc.k = (h.a / 13) % 7;
COMMIT;
SQL
generate_ms=$(( $(ms) - t ))

echo "bench: recomputing the roll-ups (rampart profile verify --repair)" >&2
t=$(ms)
"$bin" profile verify --repair --db "$db" >"$work/verify.log" 2>"$work/verify.err" || true
rollup_ms=$(( $(ms) - t ))
"$bin" profile verify --db "$db" >"$work/verify2.log"
rows=$(sqlite3 "$db_path" "SELECT COUNT(*) FROM profile_cells")
presence_rows=$(sqlite3 "$db_path" "SELECT COUNT(*) FROM profile_presence")

# The ceilings: the same question (incidents by sector and class, with a measure summed) over each
# period as a GROUP BY on the raw rows by the sqlite3 shell, best of three.
ceilings=
for months in 1 3 12 36 120; do
  from=$(date -u -d "$(date -u +%Y-%m-01) -$((months - 1)) months" +%s)000
  best=
  for _ in 1 2 3; do
    t=$(date +%s%N)
    sqlite3 "$db_path" "SELECT sector_id, rsit_class, COUNT(*), SUM(users_affected) FROM incidents
      WHERE aware_at >= $from AND state NOT IN ('rejected', 'duplicate', 'merged')
      GROUP BY sector_id, rsit_class" >/dev/null
    d=$(( ($(date +%s%N) - t) / 1000000 ))
    [[ -z "$best" || $d -lt $best ]] && best=$d
  done
  ceilings="$ceilings\"$months\":$best,"
done
ceilings="{${ceilings%,}}"

RAMPART_ACCESS_LOG=false "$bin" serve --listen 127.0.0.1:0 --db "$db" >"$work/out.log" 2>"$work/err.log" &
rampart_pid=$!
for _ in $(seq 1 600); do
  grep -q "listening on" "$work/out.log" 2>/dev/null && break
  sleep 0.1
done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/out.log" | head -1)
[[ -n "$url" ]] || { cat "$work/err.log" >&2; exit 1; }
echo "bench: profile queries" >&2
reads=$(node bench/profile/reads.mjs "$url" "${RAMPART_BENCH_PROFILE_READS:-200}")
rss_kb=$(awk '/VmHWM/ {print $2}' /proc/$rampart_pid/status)
kill "$rampart_pid"; wait "$rampart_pid" 2>/dev/null || true; rampart_pid=

mkdir -p bench/results
node - "$reads" "$n" "$generate_ms" "$rollup_ms" "$rows" "$presence_rows" "$ceilings" "$rss_kb" <<'NODE'
const [reads, n, generateMs, rollupMs, rows, presenceRows, ceilingsJson, rssKb] = process.argv.slice(2);
const r = JSON.parse(reads).reads;
const ceilings = JSON.parse(ceilingsJson);
const row = (...c) => console.log(`| ${c.join(' | ')} |`);
console.log(`At ${Number(n).toLocaleString('en')} incidents over ten years (SQLite):\n`);
row('work', 'Rampart', 'ceiling', 'ratio', 'budget', 'met');
row('---', '---', '---', '---', '---', '---');
row('writing the incident rows (sqlite3 shell)', `${(generateMs / 1000).toFixed(1)} s`, '', '', '', '');
row('recomputing the roll-ups from the rows (`rampart profile verify --repair`)',
    `${(rollupMs / 1000).toFixed(1)} s (${rows} roll-up rows, ${presenceRows} presence rows)`, '', '', '', '');
// One line per audience and period: the slowest grouping's p50 and p99.
const groups = new Map();
for (const v of Object.values(r)) {
  const k = `${v.who} ${v.months}`;
  if (!groups.has(k)) groups.set(k, []);
  groups.get(k).push(v);
}
let worst = 0;
for (const [k, vs] of groups) {
  const slow = vs.reduce((a, b) => (b.p99_ms > a.p99_ms ? b : a));
  const p50 = Math.max(...vs.map((v) => v.p50_ms));
  worst = Math.max(worst, slow.p99_ms);
  const [who, months] = k.split(' ');
  const ceiling = ceilings[months];
  row(`${who}, ${months} month${months === '1' ? '' : 's'}, ${vs.length} groupings (slowest: by ${slow.by || 'nothing'})`,
      `p50 ≤ ${p50} ms, p99 ≤ ${slow.p99_ms} ms`, `sqlite3 GROUP BY on the raw rows: ${ceiling} ms`,
      `${(slow.p99_ms / ceiling).toFixed(3)}`, 'p99 < 10 ms', slow.p99_ms < 10 ? 'yes' : '**no**');
}
row('peak resident memory of the server (VmHWM)', `${(rssKb / 1024).toFixed(0)} MiB`, '', '',
    Number(n) <= 1e6 ? '< 200 MB at 1M' : '', Number(n) <= 1e6 ? (rssKb * 1024 < 200e6 ? 'yes' : '**no**') : '');
const fs = require('node:fs');
fs.writeFileSync('bench/results/profile.json', JSON.stringify({
  incidents: +n, generate_ms: +generateMs, rollup_ms: +rollupMs, rollup_rows: +rows,
  presence_rows: +presenceRows, ceiling_group_by_ms: ceilings, peak_rss_kb: +rssKb, reads: r,
  worst_p99_ms: worst,
}, null, 2) + '\n');
NODE
