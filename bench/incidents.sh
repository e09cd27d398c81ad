#!/usr/bin/env bash
# Incident reporting at national scale, each figure beside the ceiling of the same machine:
#   * bulk import of N generated records (`rampart incident import`, one transaction) beside the
#     sqlite3 shell's `.import` of the same rows as CSV into a plain table;
#   * p50/p95/p99 and requests/s of the incident list and of case detail with N incidents, as the
#     national CERT analyst with an API token;
#   * sustained filing of early warnings over HTTP (each a committed transaction) beside the
#     sqlite3 shell inserting as many rows, one transaction each, with the same pragmas.
#
#   bench/incidents.sh [BUILD_DIR] [N] [SECONDS]      (defaults: build/release, 1000000, 10)
#
# Prints a markdown table and writes bench/results/incidents.json.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
count=${2:-1000000}
seconds=${3:-10}
bin="$PWD/$build/rampart"
lua="$PWD/bench/lua"
for tool in wrk sqlite3 curl; do
  command -v $tool >/dev/null || { echo "bench: $tool is missing (apt-get install wrk sqlite3 curl)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/rampart-bench-incidents.XXXXXX)
rampart_pid=
cleanup() {
  [[ -n "$rampart_pid" ]] && kill "$rampart_pid" 2>/dev/null && wait "$rampart_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ms() { echo $(( $(date +%s%N) / 1000000 )); }
# The SQLite settings Rampart runs with (src/platform/sqlite.cc), for the ceilings.
pragmas="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"

db_path="$work/rampart.db"
db="sqlite:$db_path"
echo "bench: demo directory and incidents" >&2
"$bin" demo --db "$db" >/dev/null

# (a) The records, generated from the demo directory.
t=$(ms)
"$bin" incident generate --count "$count" --seed 1 --db "$db" >"$work/incidents.jsonl"
gen_ms=$(( $(ms) - t ))
"$bin" incident generate --count "$count" --seed 1 --format csv --db "$db" >"$work/incidents.csv"
echo "bench: generated $count records in ${gen_ms} ms ($(du -h "$work/incidents.jsonl" | cut -f1) of JSON lines)" >&2

# (b) The import, and the sqlite3 shell importing the same rows into a plain table.
echo "bench: importing" >&2
t=$(ms)
import_out=$("$bin" incident import "$work/incidents.jsonl" --as cert.admin --db "$db")
import_ms=$(( $(ms) - t ))
echo "bench: $import_out" >&2
check_s=$(echo "$import_out" | sed -n 's/.*checking \([0-9.]*\) s.*/\1/p')
file_s=$(echo "$import_out" | sed -n 's/.*filing \([0-9.]*\) s.*/\1/p')
columns=$(head -1 "$work/incidents.csv" | sed 's/,/ TEXT, /g; s/$/ TEXT/')
t=$(ms)
sqlite3 "$work/plain.db" "$pragmas" "CREATE TABLE incidents ($columns);" ".import --csv --skip 1 $work/incidents.csv incidents" >/dev/null
ceiling_import_ms=$(( $(ms) - t ))
plain_rows=$(sqlite3 "$work/plain.db" "SELECT COUNT(*) FROM incidents")
[[ "$plain_rows" == "$count" ]] || echo "warning: sqlite3 imported $plain_rows rows, not $count" >&2

# (c) Reads at that size.
RAMPART_ACCESS_LOG=false "$bin" serve --listen 127.0.0.1:0 --db "$db" >"$work/out.log" 2>"$work/err.log" &
rampart_pid=$!
for _ in $(seq 1 600); do
  grep -q "listening on" "$work/out.log" 2>/dev/null && break
  sleep 0.1
done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/out.log" | head -1)
[[ -n "$url" ]] || { cat "$work/err.log" >&2; exit 1; }
analyst=$("$bin" token create cert.analyst --name bench --days 1 --db "$db" 2>/dev/null)
reporter=$("$bin" token create reporter.bank1 --name bench --days 1 --db "$db" 2>/dev/null)
incidents=$(sqlite3 "$db_path" "SELECT COUNT(*) FROM incidents")
# Cases the national CERT holds (the others answer 404 to its analyst).
sqlite3 "$db_path" "SELECT incident_id FROM incident_parties WHERE organisation_id IN
  (SELECT id FROM organisations WHERE kind = 'national_cert') ORDER BY random() LIMIT 10000" >"$work/ids.txt"
hcb=$(sqlite3 "$db_path" "SELECT id FROM organisations WHERE short_name = 'HCB'")

wrk_run() {  # script path [extra wrk args…] → "rps p50 p95 p99 errors requests"
  local script=$1 path=$2
  shift 2
  wrk -t2 -c64 -d"${seconds}s" -s "$script" "$@" "$url$path" | awk '/^RESULT/ { $1 = ""; print }'
}
echo "bench: reads with $incidents incidents" >&2
read -r list_rps list_p50 list_p95 list_p99 list_err _ <<<"$(wrk_run "$lua/percentiles.lua" \
  "/api/v1/incidents?limit=50" -H "Authorization: Bearer $analyst")"
read -r case_rps case_p50 case_p95 case_p99 case_err _ <<<"$(BENCH_IDS="$work/ids.txt" wrk_run \
  "$lua/percentiles.lua" "/api/v1/incidents/{id}" -H "Authorization: Bearer $analyst")"
[[ "$list_err" == 0 && "$case_err" == 0 ]] || echo "warning: errors in the reads: list $list_err, case $case_err" >&2
# The same requests one at a time: the latency of a request that does not queue behind 63 others.
wrk_one() {
  local script=$1 path=$2
  shift 2
  wrk -t1 -c1 -d"${seconds}s" -s "$script" "$@" "$url$path" | awk '/^RESULT/ { $1 = ""; print }'
}
read -r list1_rps list1_p50 list1_p95 list1_p99 _ _ <<<"$(wrk_one "$lua/percentiles.lua" \
  "/api/v1/incidents?limit=50" -H "Authorization: Bearer $analyst")"
read -r case1_rps case1_p50 case1_p95 case1_p99 _ _ <<<"$(BENCH_IDS="$work/ids.txt" wrk_one \
  "$lua/percentiles.lua" "/api/v1/incidents/{id}" -H "Authorization: Bearer $analyst")"

# (d) Sustained filing over HTTP, and the ceiling: as many single-row transactions in sqlite3.
echo "bench: filing" >&2
aware=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
before=$(sqlite3 "$db_path" "SELECT COUNT(*) FROM incidents")
read -r file_rps file_p50 file_p95 file_p99 file_err file_n <<<"$(BENCH_TOKEN="$reporter" \
  BENCH_AWARE_AT="$aware" wrk_run "$lua/file_incident.lua" "/api/v1/organisations/$hcb/incidents")"
filed=$(( $(sqlite3 "$db_path" "SELECT COUNT(*) FROM incidents") - before ))
[[ "$file_err" == 0 ]] || echo "warning: $file_err of $file_n filings failed" >&2
kill "$rampart_pid"; wait "$rampart_pid" 2>/dev/null || true; rampart_pid=
ceiling_rows=$(( filed > 20000 ? filed : 20000 ))  # enough rows that the shell's start-up is noise
awk -v n="$ceiling_rows" -v p="$pragmas" 'BEGIN {
  print p; print "CREATE TABLE reports (id INTEGER PRIMARY KEY, title TEXT, aware_at TEXT, body TEXT);"
  for (i = 1; i <= n; i++)
    printf "INSERT INTO reports (title, aware_at, body) VALUES (%cBenchmark early warning %d%c, %c2026-01-01T00:00:00Z%c, %c{\"title\":\"x\",\"suspected_malicious\":\"unknown\"}%c);\n", 39, i, 39, 39, 39, 39, 39
}' >"$work/inserts.sql"
t=$(ms)
sqlite3 "$work/plain2.db" <"$work/inserts.sql" >/dev/null
ceiling_insert_ms=$(( $(ms) - t ))

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f %%", 100 * a / b; else print "—" }'; }
import_rps=$(awk -v n="$count" -v t="$import_ms" 'BEGIN { printf "%.0f", n / (t / 1000) }')
ceiling_import_rps=$(awk -v n="$count" -v t="$ceiling_import_ms" 'BEGIN { printf "%.0f", n / (t / 1000) }')
filed_rps=$(awk -v n="$filed" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
ceiling_insert_rps=$(awk -v n="$ceiling_rows" -v t="$ceiling_insert_ms" 'BEGIN { printf "%.0f", n / (t / 1000) }')

echo "| work | Rampart | ceiling | ratio | budget |"
echo "|---|---|---|---|---|"
echo "| import of $count records, one transaction | $(awk -v t="$import_ms" 'BEGIN { printf "%.1f s", t / 1000 }') ($import_rps/s; checking $check_s s, filing $file_s s) | sqlite3 \`.import\` of the same rows as CSV: $(awk -v t="$ceiling_import_ms" 'BEGIN { printf "%.1f s", t / 1000 }') ($ceiling_import_rps/s) | $(ratio "$import_rps" "$ceiling_import_rps") | ≤ 10 s |"
echo "| sustained filing over HTTP (early warnings, 64 connections) | $filed_rps/s (p50 $file_p50 ms, p95 $file_p95 ms, p99 $file_p99 ms) | sqlite3, one transaction per row: $ceiling_insert_rps/s | $(ratio "$filed_rps" "$ceiling_insert_rps") | ≥ 5,000/s |"
echo "| \`GET /api/v1/incidents?limit=50\` at $incidents incidents | $list_rps req/s; p50 $list_p50 ms, p95 $list_p95 ms, p99 $list_p99 ms | — | — | p95 < 20 ms |"
echo "| \`GET /api/v1/incidents/{id}\` (random of 10,000) | $case_rps req/s; p50 $case_p50 ms, p95 $case_p95 ms, p99 $case_p99 ms | — | — | p95 < 20 ms |"
echo "| the list, one connection | $list1_rps req/s; p50 $list1_p50 ms, p95 $list1_p95 ms, p99 $list1_p99 ms | — | — | p95 < 20 ms |"
echo "| case detail, one connection | $case1_rps req/s; p50 $case1_p50 ms, p95 $case1_p95 ms, p99 $case1_p99 ms | — | — | p95 < 20 ms |"
echo
echo "generation of $count records: ${gen_ms} ms; machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"

mkdir -p bench/results
cat >bench/results/incidents.json <<JSON
{
  "records": $count, "seconds": $seconds, "incidents_at_reads": $incidents,
  "generate_ms": $gen_ms,
  "import": {"ms": $import_ms, "per_s": $import_rps, "check_s": ${check_s:-null}, "file_s": ${file_s:-null},
             "ceiling_sqlite3_import_ms": $ceiling_import_ms, "ceiling_per_s": $ceiling_import_rps},
  "list": {"rps": $list_rps, "p50_ms": $list_p50, "p95_ms": $list_p95, "p99_ms": $list_p99},
  "case": {"rps": $case_rps, "p50_ms": $case_p50, "p95_ms": $case_p95, "p99_ms": $case_p99},
  "list_one_connection": {"rps": $list1_rps, "p50_ms": $list1_p50, "p95_ms": $list1_p95, "p99_ms": $list1_p99},
  "case_one_connection": {"rps": $case1_rps, "p50_ms": $case1_p50, "p95_ms": $case1_p95, "p99_ms": $case1_p99},
  "filing": {"filed": $filed, "per_s": $filed_rps, "p50_ms": $file_p50, "p95_ms": $file_p95, "p99_ms": $file_p99,
             "errors": $file_err, "ceiling_rows": $ceiling_rows, "ceiling_sqlite3_single_row_tx_per_s": $ceiling_insert_rps},
  "machine": {"cores": $(nproc), "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"}
}
JSON
echo "bench: results in bench/results/incidents.json" >&2
