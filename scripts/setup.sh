#!/usr/bin/env bash
# Installs what building, running and testing Rampart need, and nothing that is already there:
# Debian packages with apt-get (as root), then the web packages with `npm ci`.
#
#   scripts/setup.sh          what `make run` needs
#   scripts/setup.sh --test   also what `make test` needs (PostgreSQL, Chromium, test packages)
#   scripts/setup.sh --bench  also what `make bench` needs (wrk, nginx, PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
want_bench=0
[[ "${1:-}" == "--test" ]] && want_test=1
[[ "${1:-}" == "--bench" ]] && want_bench=1

packages=(
  build-essential cmake ccache pkg-config git
  libboost-dev libboost-system-dev nlohmann-json3-dev libsqlite3-dev libpqxx-dev libsodium-dev
  libssl-dev libcli11-dev libspdlog-dev libfmt-dev libtomlplusplus-dev libsimdjson-dev
  libjemalloc-dev libxlsxwriter-dev libminizip-dev libgtest-dev libgmock-dev libbenchmark-dev libcurl4-openssl-dev sqlite3 nodejs
)
if [[ $want_test -eq 1 ]]; then
  # python3-aiosmtpd: the SMTP server the e-mail tests send to (tests/e2e/smtp_sink.py).
  packages+=(postgresql chromium python3-aiosmtpd)
fi
if [[ $want_bench -eq 1 ]]; then
  packages+=(postgresql wrk nginx-light time)
fi
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node may come from elsewhere than Debian (a newer one on this machine): that is fine.
if command -v node >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs/}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "setup: installing ${missing[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: these Debian packages are missing; run as root or install them: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci only when the lock file changed since the last install.
npm_install() {
  local dir=$1
  local stamp="$dir/node_modules/.rampart-lock"
  if [[ ! -f "$stamp" ]] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    echo "setup: npm ci in $dir" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
}
npm_install web
[[ $want_test -eq 1 ]] && npm_install tests
exit 0
