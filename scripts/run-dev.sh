#!/usr/bin/env bash
# Runs the daemon on the embedded development stack: PostgreSQL, Redis, the embedded Kafka cluster,
# then `fairlane run`, then a demo load (`fairlane produce --demo N`, N from FAIRLANE_DEMO_EVENTS,
# default 1000). Installs what is missing. Ctrl-C stops the daemon, the Kafka cluster and the
# servers this script started.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib/common.sh
source "$here/lib/common.sh"
cd "$FAIRLANE_ROOT"

command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not on PATH; install .NET SDK 10 first"
command -v curl >/dev/null || ensure_apt_packages curl

demo_events="${FAIRLANE_DEMO_EVENTS:-1000}"
metrics_port="${FAIRLANE__HTTP__METRICSPORT:-9400}"
kafka_dir="$FAIRLANE_STATE_DIR/kafka"
mkdir -p "$kafka_dir"
bootstrap_file="$kafka_dir/bootstrap"
rm -f "$bootstrap_file"

kafka_pid=""
daemon_pid=""
started_servers=0
"$here/dev-servers.sh" status >/dev/null 2>&1 || started_servers=1

cleanup() {
  trap - EXIT INT TERM
  log "stopping"
  [ -n "$daemon_pid" ] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  [ -n "$kafka_pid" ] && kill -TERM "$kafka_pid" 2>/dev/null && wait "$kafka_pid" 2>/dev/null || true
  if [ "$started_servers" = 1 ]; then "$here/dev-servers.sh" down || true; fi
  log "stopped"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$here/dev-servers.sh" up

log "building"
dotnet restore Fairlane.sln --nologo -v quiet
dotnet build src/Worker/Fairlane.Worker.csproj -c Release --no-restore --nologo -v quiet
dotnet build tools/DevKafka/Fairlane.DevKafka.csproj -c Release --no-restore --nologo -v quiet
fairlane=(dotnet "$FAIRLANE_ROOT/src/Worker/bin/Release/net10.0/fairlane.dll")

log "starting the embedded Kafka cluster (3 brokers, the six topics with 24 partitions each)"
dotnet "$FAIRLANE_ROOT/tools/DevKafka/bin/Release/net10.0/fairlane-devkafka.dll" \
  --brokers 3 --bootstrap-file "$bootstrap_file" >/dev/null &
kafka_pid=$!
wait_for 30 test -s "$bootstrap_file" || die "the embedded Kafka cluster did not start"

export DOTNET_ENVIRONMENT=Development
FAIRLANE__KAFKA__BOOTSTRAPSERVERS="$(cat "$bootstrap_file")"
export FAIRLANE__KAFKA__BOOTSTRAPSERVERS
export FAIRLANE__HTTP__METRICSPORT="$metrics_port"
log "Kafka bootstrap servers: $FAIRLANE__KAFKA__BOOTSTRAPSERVERS"

log "starting the daemon"
"${fairlane[@]}" run &
daemon_pid=$!
wait_for 60 curl -fsS -o /dev/null "http://127.0.0.1:$metrics_port/readyz" || die "the daemon did not become ready"

log "sending $demo_events demo webhook events"
"${fairlane[@]}" produce --demo "$demo_events"

# The daemon's own count, from /metrics (prometheus-net prints whole counts without a decimal point).
processed() {
  curl -fsS "http://127.0.0.1:$metrics_port/metrics" \
    | sed -n 's/^fairlane_events_processed_total{agent="watcher"} \([0-9]*\).*/\1/p'
}
all_processed() { [ "$(processed)" -ge "$demo_events" ]; }
wait_for 60 all_processed || log "not all demo events were processed within 60 s"
cat <<INFO

  Fairlane is running on the embedded stack.
    processed events : $(processed)
    metrics          : http://127.0.0.1:$metrics_port/metrics
    liveness         : http://127.0.0.1:$metrics_port/healthz
    readiness        : http://127.0.0.1:$metrics_port/readyz
    admin API        : http://127.0.0.1:${FAIRLANE__ADMIN__PORT:-9401}/admin/tenants (bearer: Admin:Token in appsettings.Development.json)
    tenants          : DOTNET_ENVIRONMENT=Development ${fairlane[*]} tenants list
    more demo load   : FAIRLANE__KAFKA__BOOTSTRAPSERVERS=$FAIRLANE__KAFKA__BOOTSTRAPSERVERS ${fairlane[*]} produce --demo 1000
  Press Ctrl-C to stop everything.

INFO
wait "$daemon_pid"
