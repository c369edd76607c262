#!/usr/bin/env bash
# Parley's media relay against Janus (Debian's janus, VideoRoom plugin) in one run: the same ramp
# of rooms, the same load clients, each SFU in a network namespace of its own reached over a veth
# pair (Janus never offers loopback candidates; the relay gets the same treatment so both pay the
# same kernel path). Run as root (namespaces); `make bench-media-relay-vs-janus`. bench/README.md.
#
#   bench/media-relay/vs-janus.sh [bench options, e.g. --rooms=1,2,4 --measure-seconds=10]
#
# Namespaces, veths, forwarders, Janus and the relay are removed on exit, however the run ends.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
here="$repo/bench/media-relay"
work="$here/target/vs-janus"
# shellcheck source=scripts/netns.sh
source "$here/scripts/netns.sh"
# shellcheck source=scripts/janus-config.sh
source "$here/scripts/janus-config.sh"

JANUS_NS=parley-bench-janus; JANUS_HOST_IF=pbj-host; JANUS_NS_IF=pbj-ns
JANUS_HOST=10.213.0.1; JANUS_ADDR=10.213.0.2; JANUS_PORT=8088
RELAY_NS=parley-bench-relay; RELAY_HOST_IF=pbr-host; RELAY_NS_IF=pbr-ns
RELAY_HOST=10.213.1.1; RELAY_ADDR=10.213.1.2; RELAY_HTTP_PORT=18383; RELAY_MEDIA_PORT=20000
# the stack services the relay reaches from its namespace through forwarders (Kafka, Redis, Keycloak)
STACK_PORTS="9092 6379 8180"

[ "$(id -u)" = 0 ] || { echo "vs-janus.sh: needs root (ip netns)"; exit 2; }
command -v socat >/dev/null || apt-get install -y socat
command -v janus >/dev/null || { apt-get update -q && apt-get install -y janus; }
jar="$repo/services/media-relay/target/quarkus-app/quarkus-run.jar"
bench_jar="$here/target/parley-bench-media-relay.jar"
[ -f "$jar" ] && [ -f "$bench_jar" ] || { echo "vs-janus.sh: build first (make bench-media-relay-vs-janus does)"; exit 2; }

pids=()
cleanup() {
  set +e
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  # forwarders fork a child per connection inside the namespace: end what is left there
  for ns in "$JANUS_NS" "$RELAY_NS"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null; done
  done
  sleep 0.5
  ns_down "$JANUS_NS" "$JANUS_HOST_IF"
  ns_down "$RELAY_NS" "$RELAY_HOST_IF"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# leftovers of an interrupted run
ns_down "$JANUS_NS" "$JANUS_HOST_IF"
ns_down "$RELAY_NS" "$RELAY_HOST_IF"
rm -rf "$work" && mkdir -p "$work"

ns_up "$JANUS_NS" "$JANUS_HOST_IF" "$JANUS_NS_IF" "$JANUS_HOST" "$JANUS_ADDR"
ns_up "$RELAY_NS" "$RELAY_HOST_IF" "$RELAY_NS_IF" "$RELAY_HOST" "$RELAY_ADDR"

# Janus: VideoRoom + HTTP only, gathering on its veth only
janus_config "$work/janus" "$JANUS_ADDR" "$JANUS_NS_IF" "$JANUS_PORT"
ip netns exec "$JANUS_NS" janus -F "$work/janus" -C "$work/janus/janus.jcfg" -o >"$work/janus.log" 2>&1 &
janus_pid=$!; pids+=("$janus_pid")

# the relay's namespace reaches the host's stack on 127.0.0.1 through one forwarder per port: it
# listens on the namespace's loopback, and each connection is carried by a socat that enters the
# host's network namespace (this shell's) to connect
host_ns=/proc/$$/ns/net
for port in $STACK_PORTS; do
  ip netns exec "$RELAY_NS" socat "TCP-LISTEN:$port,bind=127.0.0.1,fork,reuseaddr" \
    "EXEC:nsenter --net=$host_ns socat STDIO TCP\:127.0.0.1\:$port" >>"$work/forwarders.log" 2>&1 &
  pids+=("$!")
done

secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
ip netns exec "$RELAY_NS" env \
  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 \
  QUARKUS_REDIS_HOSTS=redis://127.0.0.1:6379/13 \
  QUARKUS_OIDC_AUTH_SERVER_URL=http://127.0.0.1:8180/realms/parley \
  PARLEY_MEDIA_RELAY_GUESTS_TOKEN_SECRET="$secret" \
  PARLEY_MEDIA_RELAY_MEDIA_PORT=$RELAY_MEDIA_PORT \
  PARLEY_MEDIA_RELAY_MEDIA_BIND_ADDRESS=$RELAY_ADDR \
  PARLEY_MEDIA_RELAY_CANDIDATE_ADDRESS=$RELAY_ADDR \
  PARLEY_MEDIA_RELAY_MAX_SESSIONS=100000 \
  QUARKUS_LOG_LEVEL=WARN \
  QUARKUS_HTTP_HOST=0.0.0.0 QUARKUS_HTTP_PORT=$RELAY_HTTP_PORT \
  "$(command -v java)" ${RELAY_JAVA_OPTS:--Xmx1g -XX:+UseG1GC} -jar "$jar" >"$work/relay.log" 2>&1 &
relay_pid=$!; pids+=("$relay_pid")

echo "[vs-janus] waiting for the relay (pid $relay_pid, $RELAY_ADDR) and Janus (pid $janus_pid, $JANUS_ADDR)"
deadline=$((SECONDS + 90))
until curl -sf "http://$RELAY_ADDR:$RELAY_HTTP_PORT/q/health/ready" >/dev/null; do
  kill -0 "$relay_pid" 2>/dev/null || { echo "[vs-janus] the relay exited; see $work/relay.log"; tail -20 "$work/relay.log"; exit 1; }
  [ $SECONDS -lt $deadline ] || { echo "[vs-janus] relay not ready in 90 s; see $work/relay.log"; exit 1; }
  sleep 0.5
done
until curl -sf -XPOST -d '{"janus":"info","transaction":"ready"}' "http://$JANUS_ADDR:$JANUS_PORT/janus" >/dev/null; do
  kill -0 "$janus_pid" 2>/dev/null || { echo "[vs-janus] Janus exited; see $work/janus.log"; tail -20 "$work/janus.log"; exit 1; }
  [ $SECONDS -lt $deadline ] || { echo "[vs-janus] Janus not ready; see $work/janus.log"; exit 1; }
  sleep 0.5
done

# the bench JVM and its load clients stay in the host namespace, on the host ends of the veths
java ${BENCH_JAVA_OPTS:--Xmx2g} -jar "$bench_jar" --phases=ramp,janus \
  --relay-url="http://$RELAY_ADDR:$RELAY_HTTP_PORT" --relay-pid="$relay_pid" --client-address="$RELAY_HOST" \
  --janus-url="http://$JANUS_ADDR:$JANUS_PORT/janus" --janus-pid="$janus_pid" --janus-client-address="$JANUS_HOST" \
  --janus-version="$(dpkg-query -W -f='${Version}' janus)" \
  --rooms=1,2,4,8,12,16,24 --warmup-seconds=5 --measure-seconds=15 --results-label=vs-janus "$@"
