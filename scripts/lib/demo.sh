#!/usr/bin/env bash
# The demo's catalogue and its summary, for run-dev.sh: source it after common.sh, don't run it.
# The names here are the ones `fairlane produce --demo N --tenants 3 --items 20` uses: tenants demo-01..,
# channels {type}-main, items item-000.., so every demo webhook names a mapped item.
set -euo pipefail

DEMO_TENANTS=3
DEMO_PRODUCTS=20
DEMO_CHANNEL_TYPES=(eposnow wix deliveroo)
DEMO_STOCK=100
DEMO_LOW_STOCK=75

demo_tenant() { printf 'demo-%02d' "$1"; }
# The simulator account behind a tenant's channel of a type: one account per tenant and channel.
demo_account() { printf '%s-%s-main' "$1" "$2"; }
# Demo credentials: the simulator is told to demand exactly these, and the catalogue carries them.
demo_secret() { printf 'demo-secret-%s-%s' "$1" "$2"; }

# admin_call METHOD PATH [CURL ARGS...]: one admin API request; prints the body, fails on a status >= 400
# with the status and body on stderr (the API's errors name the field).
admin_call() {
  local method="$1" path="$2" out status
  shift 2
  out="$(mktemp)"
  status="$(curl -sS -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $DEMO_ADMIN_TOKEN" \
    "http://127.0.0.1:$DEMO_ADMIN_PORT/admin$path" "$@")" || { rm -f "$out"; return 1; }
  if [ "$status" -ge 400 ]; then
    printf '[fairlane] %s %s answered %s: %s\n' "$method" "$path" "$status" "$(cat "$out")" >&2
    rm -f "$out"
    return 1
  fi
  cat "$out"
  rm -f "$out"
}

sim_call() { curl -fsS -X "$1" "http://127.0.0.1:$DEMO_SIM_PORT/_sim$2" "${@:3}"; }

# demo_catalog TENANT: the tenant's catalogue as the bulk import's JSON: its three channels pointing at
# their simulator accounts, DEMO_PRODUCTS products, and item-NNN of every channel mapped to product NNN+1.
demo_catalog() {
  local tenant="$1"
  jq -n --arg tenant "$tenant" --arg sim "http://127.0.0.1:$DEMO_SIM_PORT" --argjson n "$DEMO_PRODUCTS" \
    --argjson stock "$DEMO_STOCK" --argjson low "$DEMO_LOW_STOCK" --args '
    def pid: "p\(. + 1 | tostring | if length < 2 then "0" + . else . end)";
    def item: "item-\(tostring | ("00" + .)[-3:])";
    {
      channels: [$ARGS.positional[] as $type | {
        id: "\($type)-main", type: $type, name: "\($type) shop of \($tenant)",
        baseUrl: "\($sim)/\($type)/\($tenant)-\($type)-main",
        credentials: ({secret: "demo-secret-\($tenant)-\($type)"}
          + (if $type == "eposnow" then {apiKey: "\($tenant)-key"} else {} end))
      }],
      products: [range($n) | {id: pid, sku: "SKU-\(pid)", name: "Demo product \(pid)", stock: $stock,
        bufferStock: 0, lowStockThreshold: $low}],
      mappings: [$ARGS.positional[] as $type | range($n) | {channelId: "\($type)-main", externalId: item, productId: pid}]
    }' "${DEMO_CHANNEL_TYPES[@]}"
}

# demo_import: registers the demo tenants and imports their catalogues through the admin API, and sets up
# their simulator accounts (credentials demanded, each mapped item present with the catalogue's stock).
# Idempotent: a registered tenant answers 409 and stays; the import upserts (stock back to DEMO_STOCK).
demo_import() {
  local i tenant type account stock credential answer
  stock="$(jq -n --argjson n "$DEMO_PRODUCTS" --argjson s "$DEMO_STOCK" \
    '[range($n) | {key: "item-\(tostring | ("00" + .)[-3:])", value: $s}] | from_entries')"
  for ((i = 1; i <= DEMO_TENANTS; i++)); do
    tenant="$(demo_tenant "$i")"
    for type in "${DEMO_CHANNEL_TYPES[@]}"; do
      account="$(demo_account "$tenant" "$type")"
      credential="$(demo_secret "$tenant" "$type")"
      [ "$type" = eposnow ] && credential="$tenant-key:$credential"
      sim_call PUT "/accounts/$type/$account/credential" -H 'Content-Type: application/json' \
        -d "$(jq -n --arg c "$credential" '{credential: $c}')" >/dev/null
      sim_call PUT "/accounts/$type/$account/stock" -H 'Content-Type: application/json' -d "$stock" >/dev/null
    done
    admin_call POST /tenants -H 'Content-Type: application/json' \
      -d "{\"id\":\"$tenant\",\"name\":\"Demo tenant $i\"}" >/dev/null 2>&1 || true
    answer="$(admin_call PUT "/tenants/$tenant/catalog" -H 'Content-Type: application/json' -d "$(demo_catalog "$tenant")")" \
      || die "importing the catalogue of $tenant through the admin API failed"
    log "$(jq -r '"imported \(.tenant): \(.products) products, \(.channels) channels, \(.mappings) mappings"' <<<"$answer")"
  done
}

# sim_pushes TYPE: successful pushes (HTTP 200) the simulator counted on the demo accounts of TYPE.
sim_pushes() {
  local type="$1" i total=0 n
  for ((i = 1; i <= DEMO_TENANTS; i++)); do
    n="$(sim_call GET "/accounts/$type/$(demo_account "$(demo_tenant "$i")" "$type")/calls" | jq '.push["200"] // 0')"
    total=$((total + n))
  done
  echo "$total"
}

every_channel_pushed() {
  local type
  for type in "${DEMO_CHANNEL_TYPES[@]}"; do [ "$(sim_pushes "$type")" -gt 0 ] || return 1; done
}

# psql_owner SQL: one query as the schema owner, on the database the daemon uses
# (Postgres:OwnerConnectionString from the environment, else the development settings').
psql_owner() {
  local cs="${FAIRLANE__POSTGRES__OWNERCONNECTIONSTRING:-Host=127.0.0.1;Port=55432;Database=fairlane;Username=fairlane;Password=fairlane}"
  local part key value args=()
  IFS=';' read -ra parts <<<"$cs"
  for part in "${parts[@]}"; do
    key="${part%%=*}" value="${part#*=}"
    case "${key,,}" in
      host | server) args+=("host=$value") ;;
      port) args+=("port=$value") ;;
      database) args+=("dbname=$value") ;;
      username | user | "user id") args+=("user=$value") ;;
      password) args+=("password=$value") ;;
    esac
  done
  psql "${args[*]}" -XAtq -v ON_ERROR_STOP=1 -F ' ' -c "$1"
}

demo_tenant_list() {
  local i out=()
  for ((i = 1; i <= DEMO_TENANTS; i++)); do out+=("'$(demo_tenant "$i")'"); done
  local IFS=,
  echo "${out[*]}"
}

# A product's sync is pending until the pusher pushed its newest level.
demo_pending() { psql_owner "SELECT count(*) FROM sync_pending WHERE tenant_id IN ($(demo_tenant_list))"; }
no_sync_pending() { [ "$(demo_pending)" = 0 ]; }

# demo_alerts SINCE: the demo tenants' alerts raised since SINCE, by kind ("none" when there are none).
demo_alerts() {
  local rows
  rows="$(psql_owner "SELECT kind || ': ' || count(*) FROM alerts WHERE tenant_id IN ($(demo_tenant_list))
    AND created_at >= '$1' GROUP BY kind ORDER BY kind" | paste -sd, - | sed 's/,/, /g')"
  echo "${rows:-none}"
}
