#!/usr/bin/env bash
# Runs the daemon on the embedded development stack and demonstrates the whole flow: PostgreSQL, Redis,
# the embedded Kafka cluster and the channel simulator, then `fairlane run`; imports a small catalogue
# (3 tenants x 20 products x 3 channels on the simulator) through the admin API, sends demo webhooks for
# its mapped items (`fairlane produce --demo N`, N from FAIRLANE_DEMO_EVENTS, default 1000), leads a
# Guardian run, and prints what happened. Installs what is missing. Ctrl-C stops the daemon, the
# simulator, the Kafka cluster and the servers this script started.
#
# Environment: FAIRLANE_DEMO_ONCE=1 exits after the summary (non-interactive runs);
# FAIRLANE_DEMO_SIM_PORT (default 5480) is the simulator's port; FAIRLANE_DEV_SERVERS=external uses
# PostgreSQL and Redis that run already elsewhere (never starts or stops them); FAIRLANE_SKIP_BUILD=1
# uses the Release build as it is. FAIRLANE__* settings pass through to the daemon as usual.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib/common.sh
source "$here/lib/common.sh"
# shellcheck source=scripts/lib/demo.sh
source "$here/lib/demo.sh"
cd "$FAIRLANE_ROOT"

command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not on PATH; install .NET SDK 10 first"
command -v curl >/dev/null || ensure_apt_packages curl
command -v jq >/dev/null || ensure_apt_packages jq

demo_events="${FAIRLANE_DEMO_EVENTS:-1000}"
metrics_port="${FAIRLANE__HTTP__METRICSPORT:-9400}"
DEMO_ADMIN_PORT="${FAIRLANE__ADMIN__PORT:-9401}"
DEMO_ADMIN_TOKEN="${FAIRLANE__ADMIN__TOKEN:-development-only-admin-token-0000000000}" # appsettings.Development.json
DEMO_SIM_PORT="${FAIRLANE_DEMO_SIM_PORT:-5480}"
is_tcp_port "$DEMO_SIM_PORT" || die "FAIRLANE_DEMO_SIM_PORT must be a TCP port; got '$DEMO_SIM_PORT'"
tcp_port_open "$DEMO_SIM_PORT" && die "port $DEMO_SIM_PORT (FAIRLANE_DEMO_SIM_PORT) is taken by $(port_owner "$DEMO_SIM_PORT")"
kafka_dir="$FAIRLANE_STATE_DIR/kafka"
mkdir -p "$kafka_dir"
bootstrap_file="$kafka_dir/bootstrap"
rm -f "$bootstrap_file"

kafka_pid=""
daemon_pid=""
sim_pid=""
started_servers=0
external_servers=0
[ "${FAIRLANE_DEV_SERVERS:-}" = external ] && external_servers=1
[ "$external_servers" = 1 ] || "$here/dev-servers.sh" status >/dev/null 2>&1 || started_servers=1

cleanup() {
  trap - EXIT INT TERM
  log "stopping"
  [ -n "$daemon_pid" ] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  [ -n "$sim_pid" ] && kill -TERM "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null || true
  [ -n "$kafka_pid" ] && kill -TERM "$kafka_pid" 2>/dev/null && wait "$kafka_pid" 2>/dev/null || true
  if [ "$started_servers" = 1 ]; then "$here/dev-servers.sh" down || true; fi
  log "stopped"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$external_servers" = 1 ]; then
  tcp_port_open 55432 || [ -n "${FAIRLANE__POSTGRES__CONNECTIONSTRING:-}" ] || die "FAIRLANE_DEV_SERVERS=external, but no PostgreSQL answers on 55432"
else
  "$here/dev-servers.sh" up
fi

if [ "${FAIRLANE_SKIP_BUILD:-}" != 1 ]; then
  log "building"
  dotnet restore Fairlane.sln --nologo -v quiet
  dotnet build src/Worker/Fairlane.Worker.csproj -c Release --no-restore --nologo -v quiet
  dotnet build tools/DevKafka/Fairlane.DevKafka.csproj -c Release --no-restore --nologo -v quiet
  dotnet build loadtest/ChannelSimulator/Fairlane.ChannelSimulator.csproj -c Release --no-restore --nologo -v quiet
fi
fairlane=(dotnet "$FAIRLANE_ROOT/src/Worker/bin/Release/net10.0/fairlane.dll")

log "starting the channel simulator on 127.0.0.1:$DEMO_SIM_PORT (eposnow, wix, deliveroo)"
dotnet "$FAIRLANE_ROOT/loadtest/ChannelSimulator/bin/Release/net10.0/fairlane-channel-simulator.dll" \
  --port "$DEMO_SIM_PORT" --seed 42 >/dev/null &
sim_pid=$!
wait_for 30 sim_call GET /accounts || die "the channel simulator did not start"

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

# The daemon's log goes to a file, so that the summary below stays readable.
daemon_log="$FAIRLANE_STATE_DIR/run-dev.log"
log "starting the daemon (log: $daemon_log)"
"${fairlane[@]}" run >"$daemon_log" 2>&1 &
daemon_pid=$!
if ! wait_for 60 curl -fsS -o /dev/null "http://127.0.0.1:$metrics_port/readyz"; then
  tail -n 20 "$daemon_log" >&2
  die "the daemon did not become ready (log: $daemon_log)"
fi

started_at="$(psql_owner "SELECT now()")"
log "importing the demo catalogue through the admin API"
demo_import

log "sending $demo_events demo webhook events for the catalogue's mapped items"
"${fairlane[@]}" produce --demo "$demo_events" --tenants "$DEMO_TENANTS" --items "$DEMO_PRODUCTS"

# The daemon's own count, from /metrics (prometheus-net prints whole counts without a decimal point).
processed() {
  curl -fsS "http://127.0.0.1:$metrics_port/metrics" \
    | sed -n 's/^fairlane_events_processed_total{agent="watcher"} \([0-9]*\).*/\1/p'
}
all_processed() { [ "$(processed)" -ge "$demo_events" ]; }
wait_for 60 all_processed || log "not all demo events were processed within 60 s"
wait_for 60 every_channel_pushed || log "not every channel type had a push within 60 s"
# Pushes fold per product and settle within moments; a pass that failed waits for its lease to end.
wait_for 20 no_sync_pending || log "some syncs were still pending after 20 s; the pusher retries them"

log "leading a Guardian run (POST /admin/guardian/run-now)"
guardian="$(admin_call POST /guardian/run-now | jq -r 'del(.failures) | to_entries | map("\(.key)=\(.value)") | join(" ")' \
  || echo "did not complete (see the daemon's log)")"

admin="curl -H 'Authorization: Bearer $DEMO_ADMIN_TOKEN' http://127.0.0.1:$DEMO_ADMIN_PORT/admin"
cli="DOTNET_ENVIRONMENT=Development FAIRLANE__KAFKA__BOOTSTRAPSERVERS=$FAIRLANE__KAFKA__BOOTSTRAPSERVERS ${fairlane[*]}"
cat <<INFO

  Fairlane ran the demo on the embedded stack: $DEMO_TENANTS tenants x $DEMO_PRODUCTS products x ${#DEMO_CHANNEL_TYPES[@]} channels.
    webhooks applied : $(processed) of $demo_events (processed by the Watcher)
    syncs pushed     : eposnow $(sim_pushes eposnow), wix $(sim_pushes wix), deliveroo $(sim_pushes deliveroo) (successful pushes the simulator counted)
    syncs pending    : $(demo_pending) product(s)
    alerts raised    : $(demo_alerts "$started_at")
    Guardian run     : $guardian

  Look further:
    metrics          : http://127.0.0.1:$metrics_port/metrics   (readiness: /readyz, liveness: /healthz)
    daemon log       : tail -f $daemon_log
    tenants          : $admin/tenants
    a catalogue      : $admin/tenants/demo-01/catalog
                       $cli catalog show demo-01
    Guardian runs    : $admin/guardian/runs
    dead letters     : $cli dlq list
    simulator        : curl http://127.0.0.1:$DEMO_SIM_PORT/_sim/accounts/wix/demo-01-wix-main/calls   (and .../stock)
    more webhooks    : $cli produce --demo 1000 --tenants $DEMO_TENANTS --items $DEMO_PRODUCTS
INFO
if [ "${FAIRLANE_DEMO_ONCE:-}" = 1 ]; then exit 0; fi
echo "  Press Ctrl-C to stop everything."
echo
wait "$daemon_pid"
