#!/usr/bin/env bash
# `make run`: start the local stack and the four services, print where to go, and stop all of it
# on Ctrl-C (only what these scripts started; a Redis that was already running stays).
set -euo pipefail
DEV="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

stop_all() {
  "$DEV/services.sh" down || true
  "$DEV/stack.sh" down || true
}
on_signal() {
  trap - INT TERM
  printf '\n[run] stopping ...\n'
  stop_all
  exit 0
}
trap on_signal INT TERM

if ! "$DEV/stack.sh" up || ! "$DEV/services.sh" up; then
  echo "[run] start-up failed (see the messages above); stopping what was started" >&2
  stop_all
  exit 1
fi

cat <<'BANNER'

  Parley is running: open http://127.0.0.1:8080 and sign in as alice / alice-pw.

    Web app, rooms API, WebSocket     http://127.0.0.1:8080      OpenAPI, probes: /q/health, /q/metrics
    Presence                          http://127.0.0.1:8081
    Key distribution                  http://127.0.0.1:8082
    Media relay                       http://127.0.0.1:8083      media on 10000/udp
    Keycloak (realm parley)           http://127.0.0.1:8180      admin console: admin / admin
    Kafka 127.0.0.1:9092   Redis 127.0.0.1:6379   logs: .parley/services/*.log

  Demo users (password = name + "-pw"):
    alice / alice-pw   room-creator
    bob   / bob-pw     room-creator
    carol / carol-pw   no role (may join, may not create rooms)
    dave  / dave-pw    room-creator, parley-admin

  Try:  TOKEN=$(curl -s -d grant_type=password -d client_id=parley-services \
          -d client_secret=parley-services-secret -d username=alice -d password=alice-pw \
          http://127.0.0.1:8180/realms/parley/protocol/openid-connect/token \
          | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
        curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
          -d '{"name":"First call"}' http://127.0.0.1:8080/api/v1/rooms

  Press Ctrl-C to stop everything.
BANNER

# Wait here; Ctrl-C runs stop_all. If a service dies, say so and stop too.
while sleep 5; do
  status=$("$DEV/services.sh" status)
  if [[ "$status" != *running* ]]; then
    echo "[run] the services are no longer running; see .parley/services/*.log" >&2
    stop_all
    exit 1
  fi
done
