#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for development and tests, on 127.0.0.1 only.
#   postgres.sh up       install if missing, initdb if needed, start, ensure roles and database
#   postgres.sh down     stop it (success when it isn't running)
#   postgres.sh status   print running/stopped; exit 0 when running, 3 when not
#   postgres.sh psql ... psql as the schema owner `fairlane` on database `fairlane`, over TCP
# FAIRLANE_PG_PORT picks the port (default 55432). Data, log and socket live under
# $FAIRLANE_STATE_DIR/postgres, or under /var/tmp when the postgres OS user cannot reach that (below).
# Debian's own cluster (15/main on 5432), if the package started one, is left alone: we use our own
# port, data directory and socket directory, so the two never meet.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib/common.sh
source "$here/lib/common.sh"

pg_major=15
port="${FAIRLANE_PG_PORT:-55432}"
is_tcp_port "$port" || die "FAIRLANE_PG_PORT must be a TCP port number, not '$port'"

owner_role=fairlane
owner_password=fairlane
app_role=fairlane_app
app_password=fairlane_app
database=fairlane

# The cluster's files must belong to the postgres OS user, which therefore has to be able to reach
# them. A repo under /root (or any 0700 directory) is out of its reach, so we then use a directory
# under /var/tmp (which, unlike /tmp, survives reboots) named after a hash of the state dir's path:
# one per checkout, and the same on every run.
primary_base="$FAIRLANE_STATE_DIR/postgres"
fallback_root="/var/tmp/fairlane-$(realpath -m "$FAIRLANE_STATE_DIR" | sha256sum | cut -c1-12)"
fallback_base="$fallback_root/postgres"

am_root() { [ "$(id -u)" -eq 0 ]; }

# initdb, pg_ctl and postgres refuse to run as root, so as root we run them as the postgres OS user,
# from / (a cwd it can't read, such as /root, makes them complain). Other users run them as themselves.
pg_run() {
  if am_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# The directory with the server binaries of PostgreSQL 15: Debian's, else whatever pg_config names.
find_bindir() {
  local dir
  for dir in "/usr/lib/postgresql/$pg_major/bin" "$(pg_config --bindir 2>/dev/null || true)"; do
    if [ -n "$dir" ] && [ -x "$dir/postgres" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      printf '%s\n' "$dir"
      return 0
    fi
  done
  return 1
}

# A client tool from the server's bin dir (same version), else from PATH.
client_tool() {
  if [ -n "${bindir:-}" ] && [ -x "$bindir/$1" ]; then
    printf '%s\n' "$bindir/$1"
  else
    command -v "$1"
  fi
}

# is_running DATA: the server of that data directory is up (pg_ctl checks postmaster.pid's process).
is_running() {
  [ -n "${bindir:-}" ] && [ -f "$1/postmaster.pid" ] && pg_run "$bindir/pg_ctl" status -D "$1" >/dev/null 2>&1
}

# pid_field DATA LINE: a line of postmaster.pid (1 pid, 4 port, 5 socket directory).
pid_field() { sed -n "${2}p" "$1/postmaster.pid" 2>/dev/null; }

# prepare_base DIR: creates DIR for the postgres user (0700, as initdb wants for the data dir's
# parent too) and checks, as that user, that it really can own, reach and write it: chown and chmod
# can silently do nothing on some mounts, and any parent may lack the x bit for it.
prepare_base() {
  local dir="$1"
  mkdir -p "$dir" || return 1
  if am_root; then
    chown postgres:postgres "$dir" 2>/dev/null || return 1
  fi
  chmod 0700 "$dir" 2>/dev/null || return 1
  [ "$(stat -c %a "$dir")" = 700 ] || return 1
  # shellcheck disable=SC2016 # $1 is expanded by the inner shell
  pg_run sh -c '[ -O "$1" ] && [ -w "$1" ] && [ -x "$1" ]' _ "$dir"
}

# The fallback root sits in world-writable /var/tmp: refuse it unless it is a real directory of ours,
# so nobody can plant a symlink there and have us chown what it points to.
prepare_fallback_root() {
  mkdir -m 0755 "$fallback_root" 2>/dev/null || true
  if [ ! -d "$fallback_root" ] || [ -L "$fallback_root" ] || [ "$(stat -c %u "$fallback_root")" != "$(id -u)" ]; then
    die "$fallback_root exists but is not a directory owned by $(id -un); remove it and retry"
  fi
  chmod 0755 "$fallback_root"
}

# choose_base: prints the directory that holds (or will hold) data/, the log and the socket.
choose_base() {
  local base
  # An existing cluster wins, so a later change of permissions doesn't silently start a fresh one.
  for base in "$primary_base" "$fallback_base"; do
    if [ -f "$base/data/PG_VERSION" ] && prepare_base "$base"; then
      printf '%s\n' "$base"
      return 0
    fi
  done
  mkdir -p "$FAIRLANE_STATE_DIR"
  # The state dir is ours: let other users traverse (not list) it, so the postgres user can get through.
  chmod o+x "$FAIRLANE_STATE_DIR" 2>/dev/null || true
  if prepare_base "$primary_base"; then
    printf '%s\n' "$primary_base"
    return 0
  fi
  rmdir "$primary_base" 2>/dev/null || true
  prepare_fallback_root
  prepare_base "$fallback_base" || die "cannot prepare $fallback_base for the postgres user"
  log "the postgres OS user cannot reach $FAIRLANE_STATE_DIR (a parent directory is not traversable for it, e.g. /root is 0700),"
  log "so the cluster lives in $fallback_base instead"
  printf '%s\n' "$fallback_base"
}

# The running cluster's data directory, from either location; empty when none runs.
running_data_dir() {
  local base
  for base in "$primary_base" "$fallback_base"; do
    if is_running "$base/data"; then
      printf '%s\n' "$base/data"
      return 0
    fi
  done
}

# Quotes a value for postgresql.conf.
conf_quote() { printf "'%s'" "${1//\'/\'\'}"; }

# write_config DATA SOCKET_DIR: our settings, in a file postgresql.conf includes. Rewritten on every
# start so that a changed FAIRLANE_PG_PORT or state dir takes effect.
write_config() {
  local data="$1" socket_dir="$2"
  if ! grep -q "^include_if_exists = 'fairlane.conf'" "$data/postgresql.conf"; then
    printf "\n# Settings of scripts/postgres.sh.\ninclude_if_exists = 'fairlane.conf'\n" >>"$data/postgresql.conf"
  fi
  cat >"$data/fairlane.conf" <<CONF
# Written by scripts/postgres.sh on every start: change the script, not this file.
listen_addresses = '127.0.0.1'
port = $port
# Our own socket directory, not /var/run/postgresql (Debian's cluster's), and only for its owner:
# local connections are trusted, so reaching the socket is what admits one.
unix_socket_directories = $(conf_quote "$socket_dir")
unix_socket_permissions = 0700
max_connections = 300
shared_buffers = 256MB
# Development and test speed only: durability is off, so a crash of the machine can corrupt this
# cluster. It holds nothing that can't be made again (down, remove the data dir, up).
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  if am_root; then chown postgres:postgres "$data/fairlane.conf" "$data/postgresql.conf"; fi
  chmod 0600 "$data/fairlane.conf"
}

# A Unix socket path is limited to 107 bytes: with a long state dir, put the socket under /var/tmp.
socket_dir_for() {
  local dir="$1/run"
  if [ "${#dir}" -gt 85 ]; then
    prepare_fallback_root
    dir="$fallback_root/run"
  fi
  printf '%s\n' "$dir"
}

show_log_tail() {
  if [ -s "$1" ]; then
    log "last 30 lines of $1:"
    tail -n 30 "$1" >&2
  fi
}

cmd_up() {
  bindir="$(find_bindir)" || {
    ensure_apt_packages postgresql postgresql-client
    bindir="$(find_bindir)" || die "PostgreSQL $pg_major server binaries not found after installing postgresql"
  }
  if ! client_tool psql >/dev/null || ! client_tool pg_isready >/dev/null; then
    ensure_apt_packages postgresql-client
  fi
  local psql pg_isready
  psql="$(client_tool psql)"
  pg_isready="$(client_tool pg_isready)"
  if am_root && ! id postgres >/dev/null 2>&1; then
    die "there is no postgres OS user (the postgresql package creates it); reinstall postgresql"
  fi

  local data running
  running="$(running_data_dir)"
  if [ -n "$running" ]; then
    data="$running"
    local running_port
    running_port="$(pid_field "$data" 4)"
    [ "$running_port" = "$port" ] \
      || die "the cluster in $data is already running on port $running_port, not $port: run '$0 down' first, or set FAIRLANE_PG_PORT=$running_port"
    log "PostgreSQL is already running on 127.0.0.1:$port (data dir $data)"
  else
    local base log_file socket_dir
    base="$(choose_base)"
    data="$base/data"
    log_file="$base/postgresql.log"
    socket_dir="$(socket_dir_for "$base")"

    if [ ! -f "$data/PG_VERSION" ]; then
      if [ -e "$data" ]; then
        # No PG_VERSION: the remains of an interrupted initdb, never a usable cluster.
        log "removing the incomplete data directory $data"
        rm -rf "$data"
      fi
      local locale_opt=--no-locale
      if grep -qiE '^c\.utf-?8$' <<<"$(locale -a 2>/dev/null)"; then locale_opt=--locale=C.UTF-8; fi
      log "initialising a PostgreSQL $pg_major cluster in $data"
      # --no-sync: like fsync=off below, durability buys nothing for a disposable dev cluster.
      if ! pg_run "$bindir/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 "$locale_opt" --no-sync >"$base/initdb.log" 2>&1; then
        show_log_tail "$base/initdb.log"
        die "initdb failed for data dir $data (full output in $base/initdb.log)"
      fi
    fi
    local data_major server_major
    data_major="$(cat "$data/PG_VERSION")"
    server_major="$("$bindir/postgres" --version | sed -n 's/^postgres (PostgreSQL) \([0-9]*\).*/\1/p')"
    [ "$data_major" = "$server_major" ] \
      || die "$data was made by PostgreSQL $data_major but the server is $server_major: remove $data and run up again"

    mkdir -p "$socket_dir"
    if am_root; then chown postgres:postgres "$socket_dir"; fi
    chmod 0700 "$socket_dir"
    write_config "$data" "$socket_dir"

    if tcp_port_open "$port"; then
      local holder
      holder="$(port_owner "$port")"
      die "port $port on 127.0.0.1 is already in use${holder:+ ($holder)}, so the cluster in $data cannot start there: stop that program or set FAIRLANE_PG_PORT to a free port"
    fi
    log "starting PostgreSQL on 127.0.0.1:$port (data dir $data, log $log_file)"
    if ! pg_run "$bindir/pg_ctl" start -D "$data" -l "$log_file" -w -t 60 -s; then
      show_log_tail "$log_file"
      die "PostgreSQL did not start on 127.0.0.1:$port (data dir $data, log $log_file)"
    fi
  fi

  if ! wait_for 30 "$pg_isready" -q -h 127.0.0.1 -p "$port"; then
    show_log_tail "$(dirname "$data")/postgresql.log"
    die "PostgreSQL on 127.0.0.1:$port (data dir $data) does not accept connections"
  fi

  # Roles and database, idempotently, as the superuser over our Unix socket (trusted, see above).
  # fairlane owns the schema, runs migrations and creates test databases; fairlane_app is what the
  # daemon connects as, so it must be subject to row-level security: no superuser, no BYPASSRLS.
  local socket
  socket="$(pid_field "$data" 5)"
  pg_run "$psql" -X -q -v ON_ERROR_STOP=1 -h "$socket" -p "$port" -U postgres -d postgres >/dev/null <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$owner_role') THEN CREATE ROLE $owner_role; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$app_role') THEN CREATE ROLE $app_role; END IF;
END
\$\$;
ALTER ROLE $owner_role WITH LOGIN CREATEDB NOSUPERUSER PASSWORD '$owner_password';
ALTER ROLE $app_role WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '$app_password';
-- Test databases are dropped WITH (FORCE) by the owner, which must be able to end the
-- application role's leftover sessions in them. Development and test clusters only.
GRANT pg_signal_backend TO $owner_role;
SELECT 'CREATE DATABASE $database OWNER $owner_role ENCODING ''UTF8'''
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$database') \gexec
ALTER DATABASE $database OWNER TO $owner_role;
SQL

  log "PostgreSQL is ready on 127.0.0.1:$port (data dir $data)"
  printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s\n' "$port" "$database" "$app_role" "$app_password"
}

cmd_down() {
  bindir="$(find_bindir)" || return 0 # not installed, so not running
  local data stopped=0
  for data in "$primary_base/data" "$fallback_base/data"; do
    if is_running "$data"; then
      log "stopping PostgreSQL (data dir $data)"
      pg_run "$bindir/pg_ctl" stop -D "$data" -m fast -w -t 60 -s \
        || die "PostgreSQL (data dir $data) did not stop; see $(dirname "$data")/postgresql.log"
      stopped=1
    fi
  done
  [ "$stopped" = 1 ] || log "PostgreSQL is not running"
}

cmd_status() {
  bindir="$(find_bindir)" || true
  local data
  data="$(running_data_dir)"
  if [ -n "$data" ]; then
    echo "postgres: running on 127.0.0.1:$(pid_field "$data" 4) (pid $(pid_field "$data" 1), data dir $data)"
    return 0
  fi
  echo "postgres: stopped"
  return 3
}

cmd_psql() {
  bindir="$(find_bindir)" || true
  local psql
  psql="$(client_tool psql)" || die "psql is not installed; run '$0 up' first"
  PGPASSWORD="$owner_password" exec "$psql" -h 127.0.0.1 -p "$port" -U "$owner_role" -d "$database" "$@"
}

usage() { die "usage: $0 up|down|status|psql [psql arguments]"; }

[ "$#" -ge 1 ] || usage
command="$1"
shift
case "$command" in
  up)
    hold_lock postgres "$command" "$@"
    cmd_up
    ;;
  down)
    hold_lock postgres "$command" "$@"
    cmd_down
    ;;
  status) cmd_status ;;
  psql) cmd_psql "$@" ;;
  *) usage ;;
esac
