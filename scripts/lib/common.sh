#!/usr/bin/env bash
# Shared helpers for the scripts in scripts/: source it (`source "$here/lib/common.sh"`), don't run it.
set -euo pipefail

# The repo root, from this file's own location (scripts/lib/..), so the scripts work from any cwd.
FAIRLANE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
# Everything the dev servers write (data, logs, pid files, sockets) lives here; .local/ is git-ignored.
FAIRLANE_STATE_DIR="${FAIRLANE_STATE_DIR:-$FAIRLANE_ROOT/.local}"
export FAIRLANE_ROOT FAIRLANE_STATE_DIR

# Progress goes to stderr so that stdout stays free for what callers may capture (connection strings).
log() { printf '[fairlane] %s\n' "$*" >&2; }

die() {
  printf '[fairlane] error: %s\n' "$*" >&2
  exit 1
}

# ensure_apt_packages PKG...: installs only the packages dpkg does not already have.
# `apt-get update` runs only when something must be installed, and at most once an hour across all
# our scripts (a stamp file), since dev-servers.sh runs postgres.sh and redis.sh as separate processes.
ensure_apt_packages() {
  local pkg missing=()
  for pkg in "$@"; do
    if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" != "install ok installed" ]; then
      missing+=("$pkg")
    fi
  done
  [ "${#missing[@]}" -eq 0 ] && return 0

  command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get to install them with"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "missing packages (${missing[*]}); run as root or install them first"
    sudo=(sudo)
  fi
  mkdir -p "$FAIRLANE_STATE_DIR"
  local stamp="$FAIRLANE_STATE_DIR/apt-updated" apt_log="$FAIRLANE_STATE_DIR/apt.log"
  # Lock::Timeout: wait for a concurrent apt/dpkg instead of failing at once on its lock.
  # apt's chatter goes to a log that is shown only when it fails.
  local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300)
  _fairlane_apt() {
    "${apt[@]}" "$@" >>"$apt_log" 2>&1 && return 0
    tail -n 20 "$apt_log" >&2
    return 1
  }
  : >"$apt_log"
  local updated=0
  if [ -z "$(find "$stamp" -mmin -60 2>/dev/null)" ]; then
    log "apt-get update (needed to install: ${missing[*]})"
    _fairlane_apt update || die "apt-get update failed (log $apt_log)"
    touch "$stamp"
    updated=1
  fi
  log "installing ${missing[*]}"
  if ! _fairlane_apt install -y --no-install-recommends "${missing[@]}"; then
    # The lists may have gone stale or been cleaned since the stamp: refresh them once and retry.
    [ "$updated" = 1 ] && die "apt-get install ${missing[*]} failed (log $apt_log)"
    log "retrying after apt-get update"
    _fairlane_apt update || die "apt-get update failed (log $apt_log)"
    touch "$stamp"
    _fairlane_apt install -y --no-install-recommends "${missing[@]}" || die "apt-get install ${missing[*]} failed (log $apt_log)"
  fi
}

# wait_for SECONDS CMD [ARG...]: reruns CMD (output discarded) until it succeeds; returns 1 once
# SECONDS have passed. Polling a real readiness check instead of sleeping a fixed time keeps the
# fast case fast and the slow case correct.
wait_for() {
  local timeout="$1"
  shift
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}

# hold_lock NAME "$@": makes the rest of the calling script run under an exclusive lock on
# $FAIRLANE_STATE_DIR/NAME.lock, so two concurrent runs (say test.sh and run-dev.sh started together)
# don't both initdb or start a server. It runs the script again under flock and exits with its status;
# in that re-run (or where flock is missing) it just returns. flock -o keeps the lock's descriptor out
# of the daemons the script starts, which would otherwise hold the lock for as long as they run.
hold_lock() {
  local name="$1"
  shift
  local var="FAIRLANE_LOCKED_${name//[^A-Za-z0-9]/_}"
  if [ "${!var:-}" = 1 ] || ! command -v flock >/dev/null; then return 0; fi
  mkdir -p "$FAIRLANE_STATE_DIR"
  export "$var=1"
  local rc=0
  flock -o -w 300 -E 75 "$FAIRLANE_STATE_DIR/$name.lock" "$BASH" "$(realpath "${BASH_SOURCE[1]}")" "$@" || rc=$?
  [ "$rc" -eq 75 ] && die "another run has held $FAIRLANE_STATE_DIR/$name.lock for over 300 s"
  exit "$rc"
}

# is_tcp_port VALUE: VALUE is a TCP port number (for checking settings from the environment).
is_tcp_port() { [[ "$1" =~ ^[0-9]{1,5}$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }

# tcp_port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
tcp_port_open() {
  # shellcheck disable=SC2016 # $1 is the inner shell's argument
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# port_owner PORT: a short description of the process listening on 127.0.0.1:PORT, for error messages.
port_owner() {
  if command -v ss >/dev/null; then
    ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1, pid \2/p' | head -n 1
  fi
}
