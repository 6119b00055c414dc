#!/usr/bin/env bash
# Runs the whole test suite against real local servers (PostgreSQL, three Redis, and Kafka's wire
# protocol through the embedded mock cluster the tests host themselves).
# Installs what is missing, starts the servers, builds warning-free, runs every test, and prints
# the plain summary "N passed, N failed[, N skipped]" from the TRX results as its last line.
# Servers that were already running are left running; servers it started, it stops.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib/common.sh
source "$here/lib/common.sh"
cd "$FAIRLANE_ROOT"

command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not on PATH; install .NET SDK 10 first"

started_servers=0
if ! "$here/dev-servers.sh" status >/dev/null 2>&1; then
  started_servers=1
fi
stop_servers() {
  if [ "$started_servers" = 1 ]; then "$here/dev-servers.sh" down >/dev/null 2>&1 || true; fi
}
trap stop_servers EXIT
"$here/dev-servers.sh" up

# The deployment tests (tests/Fairlane.Tests/Deploy) run the operators' tools: systemd-analyze
# (systemd) verifies the units, promtool and a real prometheus (prometheus) check the rules and scrape
# a worker, docker-compose validates the compose file (`config` needs no Docker engine).
# kcat is the producer that is not ours in the contract test; the demo's test runs run-dev.sh, which
# talks to the admin API and the simulator with curl and jq.
ensure_apt_packages systemd prometheus docker-compose kcat curl jq

configuration="${FAIRLANE_TEST_CONFIGURATION:-Release}"
results="$FAIRLANE_ROOT/TestResults"
rm -rf "$results"

log "restoring and building ($configuration, warnings are errors)"
dotnet restore Fairlane.sln --nologo -v quiet
dotnet build Fairlane.sln -c "$configuration" --no-restore --nologo -v quiet -warnaserror

log "running tests"
set +e
dotnet test Fairlane.sln -c "$configuration" --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" \
  --blame-hang-timeout 10m "$@"
test_exit=$?
set -e

# Sum the counters of every TRX file: <Counters total=".." executed=".." passed=".." failed=".." ... notExecuted=".." />
read -r passed failed skipped executed < <(
  total_p=0; total_f=0; total_s=0; total_e=0
  for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    attr() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
    total_p=$((total_p + $(attr passed))); total_f=$((total_f + $(attr failed)))
    total_s=$((total_s + $(attr notExecuted))); total_e=$((total_e + $(attr executed)))
  done
  echo "$total_p $total_f $total_s $total_e"
)

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
if [ "$executed" -eq 0 ]; then
  log "no test was executed"
  echo "$summary"
  exit 1
fi
echo "$summary"
if [ "$failed" -gt 0 ] || [ "$test_exit" -ne 0 ]; then exit 1; fi
