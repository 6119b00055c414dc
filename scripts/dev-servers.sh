#!/usr/bin/env bash
# The local servers the daemon and the tests need: one PostgreSQL cluster and three Redis servers,
# all private to this checkout and on 127.0.0.1 only (see postgres.sh and redis.sh).
#   dev-servers.sh up      start what isn't running (PostgreSQL first, then Redis)
#   dev-servers.sh down    stop both; succeeds when they weren't running
#   dev-servers.sh status  print their state; exit 0 only when all of them run
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib/common.sh
source "$here/lib/common.sh"

case "${1:-}" in
  up)
    "$here/postgres.sh" up
    "$here/redis.sh" up
    ;;
  down)
    # Each down succeeds when its servers aren't running; should one really fail, still stop the other.
    rc=0
    "$here/redis.sh" down || rc=$?
    "$here/postgres.sh" down || rc=$?
    exit "$rc"
    ;;
  status)
    rc=0
    "$here/postgres.sh" status || rc=$?
    "$here/redis.sh" status || rc=$?
    exit "$rc"
    ;;
  *) die "usage: $0 up|down|status" ;;
esac
