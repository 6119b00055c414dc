#!/usr/bin/env bash
# kafka-init: waits for the KRaft cluster to answer, then creates Fairlane's six topics with
# $PARTITIONS partitions and replication factor 3. --if-not-exists makes a re-run a no-op; an
# existing topic keeps its partition count (add partitions with kafka-topics.sh --alter).
set -euo pipefail
topics=/opt/kafka/bin/kafka-topics.sh

for attempt in $(seq 1 60); do
  if "$topics" --bootstrap-server "$BOOTSTRAP" --list >/dev/null 2>&1; then break; fi
  if [ "$attempt" -eq 60 ]; then
    echo "kafka-init: the cluster at $BOOTSTRAP did not answer within 120 s" >&2
    exit 1
  fi
  sleep 2
done

create() {
  "$topics" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$PREFIX.$1" \
    --partitions "$PARTITIONS" --replication-factor 3 "${@:2}"
}
for name in webhooks sync guardian alerts dlq; do create "$name"; done
# Tenant lifecycle commands: the latest command per tenant is what matters.
create control --config cleanup.policy=compact
"$topics" --bootstrap-server "$BOOTSTRAP" --describe --topic "$PREFIX.webhooks" | head -n 1
