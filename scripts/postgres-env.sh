# shellcheck shell=bash
# Prepares a throwaway PostgreSQL server for the tests. Meant to be sourced (by scripts/test.sh,
# or by hand: `source scripts/postgres-env.sh`), then `trap baton_postgres_stop EXIT`.
#
# - If BATON_TEST_POSTGRES_URL is already set, uses that server and does nothing else.
# - Finds initdb, pg_ctl and postgres ($BATON_POSTGRES_BINDIR if set, else `pg_config --bindir`,
#   else the newest /usr/lib/postgresql/*/bin, else PATH); if they are missing, installs the
#   Debian package `postgresql` when apt-get is there and we are root or have passwordless sudo
#   (not with BATON_POSTGRES_NO_INSTALL=1).
# - Starts a cluster in a fresh temporary folder, as a non-root user (the system user baton-pg
#   when run as root), listening on 127.0.0.1 on a free port and on a Unix socket in that folder,
#   with a database baton_test owned by the role baton (trust authentication).
# - Exports BATON_TEST_POSTGRES_URL, _SOCKET, _BIN, _DATA and _USER (see docs/operations.md).
# - Where PostgreSQL cannot be had, says so in one line and returns 0 without exporting the URL
#   (the tests that need it are skipped), unless BATON_REQUIRE_POSTGRES=1: then it returns 1.
#
# baton_postgres_stop stops the cluster and removes the folder; it keeps the caller's exit status,
# so it is safe as an EXIT trap under `set -e`.

if [ "${BASH_SOURCE[0]:-$0}" = "$0" ]; then
  echo "postgres-env.sh: source this script (source scripts/postgres-env.sh), do not run it" >&2
  exit 2
fi

_BATON_PG_DIR=${_BATON_PG_DIR:-}   # the temporary folder of the cluster this shell started
_BATON_PG_OWNER=${_BATON_PG_OWNER:-}
_BATON_PG_BINDIR=${_BATON_PG_BINDIR:-}

# Runs a command as the cluster's owner, from the cluster's folder (the caller's working directory
# may not be readable by that user).
_baton_pg_as() {
  local dir=${_BATON_PG_DIR:-/}
  if [ "$(id -u)" != 0 ]; then
    (cd "$dir" && "$@")
  elif command -v runuser >/dev/null 2>&1; then
    (cd "$dir" && runuser -u "$_BATON_PG_OWNER" -- "$@")
  elif command -v setpriv >/dev/null 2>&1; then
    (cd "$dir" && setpriv --reuid="$_BATON_PG_OWNER" --regid="$(id -g "$_BATON_PG_OWNER")" \
      --init-groups -- "$@")
  else
    local cmd
    cmd=$(printf '%q ' "$@")
    (cd "$dir" && su -s /bin/sh "$_BATON_PG_OWNER" -c "$cmd")
  fi
}

# The postmaster's pid, from its lock file (empty if there is none).
_baton_pg_pid() {
  local pidfile="$_BATON_PG_DIR/data/postmaster.pid"
  [ -f "$pidfile" ] || return 0
  head -n 1 "$pidfile" 2>/dev/null | tr -dc '0-9'
}

# Stops the cluster, whatever state it is in, and removes its folder. Never fails.
_baton_pg_teardown() {
  [ -n "$_BATON_PG_DIR" ] || return 0
  local pid i
  pid=$(_baton_pg_pid)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    _baton_pg_as "$_BATON_PG_BINDIR/pg_ctl" -D "$_BATON_PG_DIR/data" -m fast -w -t 30 stop \
      >/dev/null 2>&1 ||
      _baton_pg_as "$_BATON_PG_BINDIR/pg_ctl" -D "$_BATON_PG_DIR/data" -m immediate -w -t 10 stop \
        >/dev/null 2>&1 || true
    i=0
    while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do
      sleep 0.1
      i=$((i + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "postgres: the server (pid $pid) did not stop; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$_BATON_PG_DIR" 2>/dev/null || true
  _BATON_PG_DIR=
}

baton_postgres_stop() {
  local status=$?
  if [ -n "${_BATON_PG_DIR:-}" ]; then
    _baton_pg_teardown || true
    unset BATON_TEST_POSTGRES_URL BATON_TEST_POSTGRES_SOCKET BATON_TEST_POSTGRES_BIN \
      BATON_TEST_POSTGRES_DATA BATON_TEST_POSTGRES_USER
  fi
  return "$status"
}

_baton_pg_has() { [ -x "$1/initdb" ] && [ -x "$1/pg_ctl" ] && [ -x "$1/postgres" ]; }

# Prints the directory holding initdb, pg_ctl and postgres, if one is found.
_baton_pg_find_bindir() {
  local dir found
  if [ -n "${BATON_POSTGRES_BINDIR:-}" ]; then
    _baton_pg_has "$BATON_POSTGRES_BINDIR" && echo "$BATON_POSTGRES_BINDIR"
    return 0
  fi
  if command -v pg_config >/dev/null 2>&1; then
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [ -n "$dir" ] && _baton_pg_has "$dir"; then echo "$dir"; return 0; fi
  fi
  # The newest of /usr/lib/postgresql/VERSION/bin (VERSION is 15, or 9.6 before 10).
  local version major minor key best=-1
  found=
  for dir in /usr/lib/postgresql/*/bin; do
    _baton_pg_has "$dir" || continue
    version=${dir#/usr/lib/postgresql/}; version=${version%/bin}
    major=${version%%.*}; minor=0
    [ "$major" = "$version" ] || minor=${version#*.}
    case "$major$minor" in *[!0-9]*) continue ;; esac
    key=$((10#$major * 1000 + 10#$minor))
    if [ "$key" -gt "$best" ]; then best=$key; found=$dir; fi
  done
  if [ -n "$found" ]; then echo "$found"; return 0; fi
  dir=$(command -v initdb 2>/dev/null || true)
  if [ -n "$dir" ]; then
    dir=$(readlink -f "$dir" 2>/dev/null || echo "$dir"); dir=${dir%/*}
    _baton_pg_has "$dir" && echo "$dir"
  fi
  return 0
}

# Installs the Debian package postgresql if we may. Prints why not on failure (one phrase).
_baton_pg_install() {
  local -a sudo
  local log
  if [ "${BATON_POSTGRES_NO_INSTALL:-}" = 1 ]; then
    echo "not installed, and BATON_POSTGRES_NO_INSTALL=1"; return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "not installed, and no apt-get to install it"; return 1
  fi
  if [ "$(id -u)" = 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "not installed, and installing needs root or passwordless sudo"; return 1
  fi
  echo "postgres: installing the Debian package postgresql" >&2
  log=$(mktemp) || { echo "not installed, and mktemp failed"; return 1; }
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y --no-install-recommends postgresql >"$log" 2>&1; then
    if ! { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update &&
           "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
             apt-get install -y --no-install-recommends postgresql; } >>"$log" 2>&1; then
      tail -n 20 "$log" >&2
      rm -f "$log"
      echo "apt-get install postgresql failed"; return 1
    fi
  fi
  rm -f "$log"
  return 0
}

_baton_pg_free_port() {
  local port i
  if command -v python3 >/dev/null 2>&1 &&
     port=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null) &&
     [ -n "$port" ]; then
    echo "$port"; return 0
  fi
  for i in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    # A refused connection means nothing listens there.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

# Starts the server in this shell (it sets the variables the stop function needs); when it cannot,
# returns 1 with the reason in _BATON_PG_REASON.
_baton_pg_fail() { _BATON_PG_REASON=$1; return 1; }

_baton_pg_start() {
  local bindir reason base dir port version attempt started pid
  bindir=$(_baton_pg_find_bindir)
  if [ -z "$bindir" ]; then
    if [ -n "${BATON_POSTGRES_BINDIR:-}" ]; then
      _baton_pg_fail "no initdb, pg_ctl and postgres in BATON_POSTGRES_BINDIR=$BATON_POSTGRES_BINDIR"
      return 1
    fi
    reason=$(_baton_pg_install) || { _baton_pg_fail "$reason"; return 1; }
    bindir=$(_baton_pg_find_bindir)
    [ -n "$bindir" ] || { _baton_pg_fail "installed, but no initdb, pg_ctl and postgres were found"; return 1; }
  fi
  _BATON_PG_BINDIR=$bindir

  if [ "$(id -u)" = 0 ]; then
    _BATON_PG_OWNER=baton-pg
    if ! id -u baton-pg >/dev/null 2>&1; then
      useradd --system --user-group --no-create-home --shell /usr/sbin/nologin \
        --comment "Baton test PostgreSQL" baton-pg >/dev/null 2>&1 ||
        { _baton_pg_fail "cannot create the system user baton-pg to run it as"; return 1; }
    fi
  else
    _BATON_PG_OWNER=$(id -un 2>/dev/null || id -u)
  fi

  # The socket path must stay short (about 100 bytes) and plain (it goes into pg_ctl -o).
  base=${TMPDIR:-/tmp}
  case "$base" in *[!A-Za-z0-9/._-]*) base=/tmp ;; esac
  [ "${#base}" -le 60 ] || base=/tmp
  dir=$(mktemp -d "$base/baton-pg.XXXXXX" 2>/dev/null) ||
    { _baton_pg_fail "mktemp -d failed in $base"; return 1; }
  _BATON_PG_DIR=$dir
  if [ "$(id -u)" = 0 ] &&
     ! { chown "$_BATON_PG_OWNER:" "$dir" && _baton_pg_as test -w "$dir"; } 2>/dev/null; then
    # baton-pg cannot reach $TMPDIR: try /tmp.
    _baton_pg_teardown
    if [ "$base" = /tmp ] || ! dir=$(mktemp -d /tmp/baton-pg.XXXXXX); then
      _baton_pg_fail "baton-pg cannot write to a folder made with mktemp -d in $base"; return 1
    fi
    _BATON_PG_DIR=$dir
    if ! { chown "$_BATON_PG_OWNER:" "$dir" && _baton_pg_as test -w "$dir"; } 2>/dev/null; then
      _baton_pg_teardown
      _baton_pg_fail "baton-pg cannot write to a folder made with mktemp -d in /tmp"; return 1
    fi
  fi

  if ! _baton_pg_as "$bindir/initdb" -D "$dir/data" --auth=trust --username=baton \
      --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
    echo "postgres: initdb failed; its last lines:" >&2
    tail -n 20 "$dir/initdb.log" >&2
    _baton_pg_teardown
    _baton_pg_fail "initdb failed"; return 1
  fi

  # Also in postgresql.conf, so that a test that stops and starts the server with plain
  # `pg_ctl -D "$BATON_TEST_POSTGRES_DATA" start` gets the same port and socket.
  started=
  for attempt in 1 2 3; do
    port=$(_baton_pg_free_port) || { _baton_pg_teardown; _baton_pg_fail "no free port found"; return 1; }
    printf "listen_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = '%s'\n" \
      "$port" "$dir" >>"$dir/data/postgresql.conf"
    if _baton_pg_as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=200" \
        start >"$dir/pg_ctl.log" 2>&1; then
      started=1; break
    fi
    # Stop whatever is left of this attempt before the next one.
    if [ -n "$(_baton_pg_pid)" ]; then
      _baton_pg_as "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
      pid=$(_baton_pg_pid)
      [ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null || true
    fi
    grep -q 'could not bind\|Address already in use' "$dir/postgres.log" 2>/dev/null || break
  done
  if [ -z "$started" ]; then
    echo "postgres: the server did not start; pg_ctl said, and the last lines of its log:" >&2
    cat "$dir/pg_ctl.log" >&2 2>/dev/null || true
    tail -n 20 "$dir/postgres.log" >&2 2>/dev/null || true
    _baton_pg_teardown
    _baton_pg_fail "the server did not start"; return 1
  fi

  if [ -x "$bindir/createdb" ]; then
    "$bindir/createdb" -h 127.0.0.1 -p "$port" -U baton baton_test >"$dir/createdb.log" 2>&1
  else
    "$bindir/psql" -h 127.0.0.1 -p "$port" -U baton -d postgres -v ON_ERROR_STOP=1 -q \
      -c 'CREATE DATABASE baton_test' >"$dir/createdb.log" 2>&1
  fi || {
    echo "postgres: creating the database baton_test failed:" >&2
    tail -n 20 "$dir/createdb.log" >&2
    _baton_pg_teardown
    _baton_pg_fail "creating the database baton_test failed"; return 1
  }

  export BATON_TEST_POSTGRES_URL="postgres://baton@127.0.0.1:$port/baton_test"
  export BATON_TEST_POSTGRES_SOCKET="$dir"
  export BATON_TEST_POSTGRES_BIN="$bindir"
  export BATON_TEST_POSTGRES_DATA="$dir/data"
  export BATON_TEST_POSTGRES_USER="$_BATON_PG_OWNER"
  version=$("$bindir/postgres" --version 2>/dev/null | sed -n 's/^postgres (PostgreSQL) \([^ ]*\).*/\1/p')
  echo "postgres: PostgreSQL ${version:-?} on 127.0.0.1:$port (throwaway, in $dir)"
  return 0
}

_baton_postgres_env() {
  local reason
  if [ -n "${BATON_TEST_POSTGRES_URL:-}" ]; then
    echo "postgres: using BATON_TEST_POSTGRES_URL from the environment"
    return 0
  fi
  _BATON_PG_REASON=
  if _baton_pg_start; then
    return 0
  fi
  reason=${_BATON_PG_REASON:-unknown reason}
  if [ "${BATON_REQUIRE_POSTGRES:-}" = 1 ]; then
    echo "postgres: not available ($reason), and BATON_REQUIRE_POSTGRES=1 requires it" >&2
    return 1
  fi
  echo "postgres: not available ($reason); tests that need PostgreSQL will be skipped"
  return 0
}

_baton_postgres_env || return 1
