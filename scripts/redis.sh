#!/usr/bin/env bash
# Three private Redis servers for development and tests, on 127.0.0.1 only, without persistence.
#   redis.sh up      install if missing, start each one that isn't already answering PING
#   redis.sh down    shut each one down (success for those not running)
#   redis.sh status  print each one's state; exit 0 when all run, 3 otherwise
# FAIRLANE_REDIS_PORTS picks the ports (default "56379 56380 56381", spaces or commas). Pid and log
# files live in $FAIRLANE_STATE_DIR/redis. Debian's own redis-server service (port 6379), if the
# package started one, is left alone: we start our own processes on our own ports.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib/common.sh
source "$here/lib/common.sh"

ports_setting="${FAIRLANE_REDIS_PORTS:-56379 56380 56381}"
read -r -a ports <<<"${ports_setting//,/ }"
[ "${#ports[@]}" -gt 0 ] || die "FAIRLANE_REDIS_PORTS names no port"
for port in "${ports[@]}"; do
  is_tcp_port "$port" || die "FAIRLANE_REDIS_PORTS must hold TCP port numbers, not '$port'"
done
redis_dir="$FAIRLANE_STATE_DIR/redis"

# timeout: a program on the port that isn't Redis may never answer.
answers_pong() { [ "$(timeout 5 redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]; }
port_free() { ! tcp_port_open "$1"; }
log_file() { printf '%s\n' "$redis_dir/redis-$1.log"; }

fail_with_log() {
  local port="$1" message="$2" file
  file="$(log_file "$port")"
  if [ -s "$file" ]; then
    log "last 30 lines of $file:"
    tail -n 30 "$file" >&2
  fi
  die "$message"
}

cmd_up() {
  command -v redis-server >/dev/null || ensure_apt_packages redis-server
  command -v redis-cli >/dev/null || ensure_apt_packages redis-tools
  mkdir -p "$redis_dir"

  # Check every port before starting anything, so a clash leaves nothing half started.
  local port to_start=()
  for port in "${ports[@]}"; do
    if answers_pong "$port"; then
      log "Redis is already running on 127.0.0.1:$port"
    elif tcp_port_open "$port"; then
      local holder
      holder="$(port_owner "$port")"
      die "port $port on 127.0.0.1 is held by something that doesn't answer Redis PING${holder:+ ($holder)}: stop it or set FAIRLANE_REDIS_PORTS"
    else
      to_start+=("$port")
    fi
  done
  for port in "${to_start[@]}"; do
    log "starting Redis on 127.0.0.1:$port"
    # No persistence (save '' and appendonly no): throwaway dev/test servers that should come back
    # empty and never spend time writing to disk.
    # --dir keeps anything Redis might still write in our state dir, not the caller's cwd.
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --pidfile "$redis_dir/redis-$port.pid" --logfile "$(log_file "$port")" \
      --dir "$redis_dir" --dbfilename "dump-$port.rdb" \
      || fail_with_log "$port" "redis-server did not start on 127.0.0.1:$port"
  done
  # Start them all first, then wait: the three start in parallel.
  for port in "${to_start[@]}"; do
    wait_for 20 answers_pong "$port" \
      || fail_with_log "$port" "Redis on 127.0.0.1:$port did not answer PING within 20 s (log $(log_file "$port"))"
  done
  log "Redis is ready on 127.0.0.1, ports ${ports[*]}"
}

cmd_down() {
  if ! command -v redis-cli >/dev/null; then
    log "redis-cli is not installed, so none of our Redis servers runs"
    return 0
  fi
  local port stopping=()
  for port in "${ports[@]}"; do
    if ! answers_pong "$port"; then
      if tcp_port_open "$port"; then
        log "port $port is held by something that isn't a Redis we can PING; leaving it alone"
      else
        log "Redis on port $port is not running"
      fi
      continue
    fi
    log "stopping Redis on 127.0.0.1:$port"
    # The server drops the connection as it exits, which redis-cli may report as an error.
    timeout 10 redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
    stopping+=("$port")
  done
  for port in "${stopping[@]}"; do
    wait_for 15 port_free "$port" \
      || fail_with_log "$port" "Redis on 127.0.0.1:$port still answers 15 s after SHUTDOWN"
  done
}

cmd_status() {
  local port all=0
  for port in "${ports[@]}"; do
    if command -v redis-cli >/dev/null && answers_pong "$port"; then
      echo "redis: running on 127.0.0.1:$port"
    else
      echo "redis: stopped on 127.0.0.1:$port"
      all=3
    fi
  done
  return "$all"
}

usage() { die "usage: $0 up|down|status"; }

[ "$#" -eq 1 ] || usage
case "$1" in
  up)
    hold_lock redis "$@"
    cmd_up
    ;;
  down)
    hold_lock redis "$@"
    cmd_down
    ;;
  status) cmd_status ;;
  *) usage ;;
esac
