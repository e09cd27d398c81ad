#!/usr/bin/env bash
# A throwaway PostgreSQL for tests and benchmarks, listening on loopback only.
#
#   scripts/pg.sh start DIR [PORT]   create (first time) and start a cluster in DIR; print its URL
#   scripts/pg.sh stop DIR           stop it (fast mode); not an error when it is not running
#   scripts/pg.sh url DIR            print the URL of the running cluster in DIR
#   scripts/pg.sh createdb DIR NAME  create database NAME (if missing) and print its URL
#
# Only the URL goes to stdout (postgresql://rampart@127.0.0.1:PORT/NAME), so that
# `URL=$(scripts/pg.sh start var/pg)` works; progress and errors go to stderr.
#
# The cluster trusts every local connection as user `rampart`: never point it at real data.
# PORT defaults to 54329, or to the port the cluster was last started on. `start` on a running
# cluster only prints its URL. When PostgreSQL is not installed and we are root, it is installed
# with apt-get.
#
# PostgreSQL refuses to run as root. As root the server runs as the `postgres` system user
# (created if missing) and DIR is given to that user, so every directory above DIR must be
# searchable by it (o+x). Directories this script creates for DIR are made so; an existing one
# that is not (a home directory with mode 700, say) is left alone and the cluster is kept under
# /tmp/rampart-pg-<hash of DIR> instead, which DIR/cluster points to. Layout of the cluster
# directory: data/ (PGDATA), server.log, and the server's Unix socket.
set -euo pipefail

readonly DEFAULT_PORT=54329
readonly ROLE=rampart

die() {
  echo "pg.sh: $*" >&2
  exit 1
}
note() { echo "pg.sh: $*" >&2; }

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# The directory of the newest installed pg_ctl, if any.
newest_bin() {
  local pg_ctl
  pg_ctl=$(printf '%s\n' /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)
  if [[ -x "$pg_ctl" ]]; then dirname "$pg_ctl"; fi
}

# Sets BIN to the newest PostgreSQL server binaries, installing them if needed.
find_bin() {
  local dir
  dir=$(newest_bin)
  if [[ -z "$dir" ]]; then
    [[ $(id -u) -eq 0 ]] || die "PostgreSQL is not installed; run as root or: apt-get install postgresql"
    note "installing PostgreSQL with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y --no-install-recommends postgresql >&2
    dir=$(newest_bin)
    [[ -n "$dir" ]] || die "pg_ctl not found after installing postgresql"
  fi
  BIN=$dir
}

# Runs a server-side command as the user the server runs as.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u "$OWNER" -- "$@"
  else
    "$@"
  fi
}

# Creates the directories of $1 that are missing, each searchable by everyone.
make_dirs() {
  local path=$1 missing=() p
  p=$path
  while [[ ! -e "$p" ]]; do
    missing=("$p" "${missing[@]}")
    p=$(dirname "$p")
  done
  for p in "${missing[@]}"; do
    mkdir -m 0755 "$p"
  done
}

# Sets HOME_DIR, the directory that holds the cluster for DIR (see the header).
resolve_home() {
  local dir=$1 fallback
  fallback="/tmp/rampart-pg-$(printf '%s' "$dir" | sha256sum | cut -c1-16)"
  if [[ -f "$dir/data/PG_VERSION" ]]; then
    HOME_DIR=$dir
  elif [[ -f "$fallback/data/PG_VERSION" ]]; then
    HOME_DIR=$fallback
  else
    HOME_DIR=""
  fi
  FALLBACK=$fallback
}

# Whether the server user can reach and write into directory $1.
owner_can_use() {
  [[ $(id -u) -ne 0 ]] && return 0
  runuser -u "$OWNER" -- test -w "$1" -a -x "$1" 2>/dev/null
}

port_of_running() {  # the port in postmaster.pid (line 4), if the server runs
  local pidfile="$HOME_DIR/data/postmaster.pid"
  as_owner "$BIN/pg_ctl" -D "$HOME_DIR/data" status >/dev/null 2>&1 || return 1
  [[ -f "$pidfile" ]] || return 1
  sed -n 4p "$pidfile"
}

configured_port() {
  local conf="$HOME_DIR/data/rampart.conf"
  if [[ -f "$conf" ]]; then
    sed -n "s/^port = \([0-9]*\)$/\1/p" "$conf"
  fi
}

url() { echo "postgresql://$ROLE@127.0.0.1:$1/$2"; }

psql_at() {  # psql_at PORT DB SQL...
  local port=$1 db=$2
  shift 2
  "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$ROLE" -d "$db" "$@"
}

ensure_database() {  # ensure_database PORT NAME
  local port=$1 name=$2
  [[ "$name" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "database name must match [a-z_][a-z0-9_]*: $name"
  if [[ -z $(psql_at "$port" postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'") ]]; then
    psql_at "$port" postgres -c "CREATE DATABASE $name" >&2
  fi
}

cmd_start() {
  local dir=$1 port=${2:-}
  find_bin
  resolve_home "$dir"
  if [[ -n "$HOME_DIR" ]]; then
    local running
    if running=$(port_of_running); then
      [[ -z "$port" || "$port" == "$running" ]] || note "already running on port $running (not $port)"
      ensure_database "$running" "$ROLE"
      url "$running" "$ROLE"
      return
    fi
  else
    # A new cluster: decide where it lives.
    make_dirs "$dir"
    if [[ $(id -u) -eq 0 ]]; then
      chown "$OWNER:" "$dir"
      chmod 0700 "$dir"
    fi
    if owner_can_use "$dir"; then
      HOME_DIR=$dir
    else
      note "$OWNER cannot reach $dir (a parent directory is not searchable); using $FALLBACK"
      make_dirs "$FALLBACK"
      chown "$OWNER:" "$FALLBACK"
      chmod 0700 "$FALLBACK"
      HOME_DIR=$FALLBACK
      ln -sfn "$FALLBACK" "$dir/cluster"
    fi
    note "creating a cluster in $HOME_DIR/data"
    as_owner "$BIN/initdb" -D "$HOME_DIR/data" --locale=C.UTF-8 --encoding=UTF8 -A trust \
      -U "$ROLE" >&2
    echo "include_if_exists = 'rampart.conf'" | as_owner tee -a "$HOME_DIR/data/postgresql.conf" >/dev/null
  fi

  port=${port:-$(configured_port)}
  port=${port:-$DEFAULT_PORT}
  [[ "$port" =~ ^[0-9]+$ ]] || die "port must be a number: $port"
  # A Unix socket path is limited to 107 bytes.
  (( ${#HOME_DIR} + 18 <= 107 )) || die "path too long for the server socket: $HOME_DIR"
  as_owner tee "$HOME_DIR/data/rampart.conf" >/dev/null <<EOF
# Written by scripts/pg.sh on every start.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$HOME_DIR'
fsync = on
max_connections = 200
EOF
  note "starting PostgreSQL on 127.0.0.1:$port"
  if ! as_owner "$BIN/pg_ctl" -D "$HOME_DIR/data" -l "$HOME_DIR/server.log" -w -t 60 start >&2; then
    tail -n 20 "$HOME_DIR/server.log" >&2 || true
    die "PostgreSQL did not start (log: $HOME_DIR/server.log)"
  fi
  ensure_database "$port" "$ROLE"
  url "$port" "$ROLE"
}

cmd_stop() {
  local dir=$1
  find_bin
  resolve_home "$dir"
  if [[ -z "$HOME_DIR" ]]; then
    note "no cluster in $dir"
    return
  fi
  if ! port_of_running >/dev/null; then
    note "not running"
    return
  fi
  as_owner "$BIN/pg_ctl" -D "$HOME_DIR/data" -m fast -w -t 60 stop >&2
}

cmd_url() {
  local dir=$1 port
  find_bin
  resolve_home "$dir"
  [[ -n "$HOME_DIR" ]] || die "no cluster in $dir"
  port=$(port_of_running) || die "the cluster in $dir is not running"
  url "$port" "$ROLE"
}

cmd_createdb() {
  local dir=$1 name=$2 port
  find_bin
  resolve_home "$dir"
  [[ -n "$HOME_DIR" ]] || die "no cluster in $dir"
  port=$(port_of_running) || die "the cluster in $dir is not running"
  ensure_database "$port" "$name"
  url "$port" "$name"
}

main() {
  [[ $# -ge 2 ]] || usage
  local command=$1 dir
  dir=$(realpath -m -- "$2")
  OWNER=$(id -un)
  if [[ $(id -u) -eq 0 ]]; then
    OWNER=postgres
    if ! id -u "$OWNER" >/dev/null 2>&1; then
      useradd --system --user-group --home-dir /var/lib/postgresql --shell /usr/sbin/nologin "$OWNER"
    fi
  fi
  case "$command" in
    start) [[ $# -le 3 ]] || usage; cmd_start "$dir" "${3:-}" ;;
    stop) [[ $# -eq 2 ]] || usage; cmd_stop "$dir" ;;
    url) [[ $# -eq 2 ]] || usage; cmd_url "$dir" ;;
    createdb) [[ $# -eq 3 ]] || usage; cmd_createdb "$dir" "$3" ;;
    *) usage ;;
  esac
}

main "$@"
