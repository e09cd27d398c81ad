#!/usr/bin/env bash
# Every test: unit tests (both stores), the unit tests again under AddressSanitizer and
# UndefinedBehaviorSanitizer, HTTP end to end on SQLite and on PostgreSQL, two servers sharing
# PostgreSQL, and the browser tests in headless Chromium. Called by `make test`.
#
#   scripts/test.sh BUILD_DIR [all|unit|asan|e2e|browser]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?build directory}
part=${2:-all}
export RAMPART_BIN="$PWD/$build/rampart"

pg_dir="$PWD/var/test-pg"
started_pg=0
cleanup() {
  if [[ $started_pg -eq 1 ]]; then bash scripts/pg.sh stop "$pg_dir" || true; fi
}
trap cleanup EXIT

start_pg() {
  if [[ $started_pg -eq 0 ]]; then
    mkdir -p var
    # A port of its own, so a cluster left running elsewhere on the machine does not collide.
    bash scripts/pg.sh start "$pg_dir" $((55000 + RANDOM % 5000)) >/dev/null
    started_pg=1
  fi
}

failed=()
run() {
  local name=$1
  shift
  echo "== $name"
  if "$@"; then echo "== $name: passed"; else echo "== $name: FAILED"; failed+=("$name"); fi
}

if [[ $part == all || $part == unit ]]; then
  start_pg
  run "unit tests (SQLite and PostgreSQL)" \
    env RAMPART_TEST_POSTGRES_URL="$(bash scripts/pg.sh createdb "$pg_dir" unit_tests)" \
    ctest --test-dir "$build" --output-on-failure -j 2
fi

if [[ $part == all || $part == asan ]]; then
  start_pg
  asan_build() {
    cmake --preset asan >/dev/null && cmake --build build/asan -j "$(nproc)" --target rampart_tests
  }
  run "build with AddressSanitizer and UndefinedBehaviorSanitizer" asan_build
  run "unit tests under the sanitizers (SQLite and PostgreSQL)" \
    env RAMPART_TEST_POSTGRES_URL="$(bash scripts/pg.sh createdb "$pg_dir" asan_unit_tests)" \
    ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build/asan --output-on-failure -j 2
fi

if [[ $part == all || $part == e2e ]]; then
  start_pg
  run "HTTP end to end on SQLite" \
    env RAMPART_TEST_STORE=sqlite node --test --test-concurrency=1 tests/e2e/
  run "HTTP end to end on PostgreSQL (with two servers sharing it)" \
    env RAMPART_TEST_STORE=postgresql RAMPART_TEST_PG_DIR="$pg_dir" \
    node --test --test-concurrency=1 tests/e2e/
fi

if [[ $part == all || $part == browser ]]; then
  run "browser tests in headless Chromium" \
    node --test --test-concurrency=1 tests/browser/
fi

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "Failed: ${failed[*]}"
  exit 1
fi
echo "All test suites passed."
