#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Parley's four services as local processes, run from their packaged Quarkus applications.
#
#   dev/services.sh build    package the services when a jar is missing or older than its sources
#   dev/services.sh up       build if needed, start (or reuse) every service, wait until all are ready
#   dev/services.sh down     stop the services this script started
#   dev/services.sh status   one line per service
#
# The services talk to the stack of dev/stack.sh (start it first). Logs (JSON) and PID files live
# in ${PARLEY_HOME:-<repo>/.parley}/services. Ports: signaling 8080, presence 8081,
# key-distribution 8082, media-relay 8083 (HTTP) and 10000/udp (media).
set -euo pipefail

LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib"
# shellcheck source=lib/common.sh
source "$LIB/common.sh"

SERVICES=(signaling presence key-distribution media-relay)
declare -A PORT=([signaling]=8080 [presence]=8081 [key-distribution]=8082 [media-relay]=8083)
STATE="$PARLEY_HOME/services"
READY_TIMEOUT=${SERVICES_READY_TIMEOUT:-60}

jar_of() { echo "$PARLEY_REPO/services/$1/target/quarkus-app/quarkus-run.jar"; }

# stale SERVICE: its jar is missing, or a source or pom of it (or of a library) is newer; signaling
# also when the web app it serves changed (clients/web, without its build outputs)
stale() {
  local jar newer extra=()
  jar=$(jar_of "$1")
  [[ -f "$jar" ]] || return 0
  [[ "$1" == signaling ]] && extra=("$PARLEY_REPO/clients/web/src" "$PARLEY_REPO/clients/web/index.html" \
      "$PARLEY_REPO/clients/web/package-lock.json" "$PARLEY_REPO/clients/web/public")
  newer=$(find "$PARLEY_REPO/services/$1/src" "$PARLEY_REPO/services/$1/pom.xml" "$PARLEY_REPO/libs" \
      "$PARLEY_REPO/services/pom.xml" "$PARLEY_REPO/pom.xml" "${extra[@]}" \
      -newer "$jar" -type f -not -path '*/target/*' -print -quit 2>/dev/null)
  [[ -n "$newer" ]]
}

cmd_build() {
  local s todo=()
  for s in "${SERVICES[@]}"; do stale "$s" && todo+=("$s"); done
  if ((${#todo[@]} == 0)); then
    say build "services are up to date"
    return 0
  fi
  local t0; t0=$(now_ms)
  say build "packaging ${todo[*]} with Maven (the first build downloads dependencies: a few minutes) ..."
  mkdir -p "$STATE"
  local modules; modules=$(printf 'services/%s,' "${todo[@]}")
  command -v mvn >/dev/null 2>&1 || { fail build "" "mvn not found on PATH"; return 1; }
  # Show one line per module as Maven reaches it; the full output goes to the log.
  if ! (cd "$PARLEY_REPO" && mvn -B -DskipTests -pl "${modules%,}" -am install 2>&1) \
      | tee "$STATE/build.log" \
      | sed -nuE 's/^\[INFO\] Building Parley :: ([^ ]+) .*\[([0-9]+\/[0-9]+)\]$/[build] \2 \1/p'; then
    fail build "$STATE/build.log" "mvn install of ${todo[*]}"
    return 1
  fi
  say build "packaged in $(secs_since "$t0")"
}

# machine_secret NAME: 32 random bytes (base64) made once for this machine and kept in .parley.
# guest-token-secret signs guest tokens (signaling) and verifies them (presence, key distribution);
# authority-seed is the Parley CA's key in key distribution. Production keeps both in Kubernetes Secrets.
machine_secret() {
  local file="$STATE/$1"
  if [[ ! -s "$file" ]]; then
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n' >"$file")
  fi
  cat "$file"
}

ready() { [[ $(http_status "http://127.0.0.1:${PORT[$1]}/q/health/ready") == 200 ]]; }

start_one() {
  local s=$1 pid
  local log="$STATE/$s.log" pidfile="$STATE/$s.pid"
  if pid=$(our_pid "$pidfile"); then
    say "$s" "already running (pid $pid)"
    return 0
  fi
  if port_open "${PORT[$s]}"; then
    fail "$s" "" "port ${PORT[$s]} is taken by another program; stop it or free the port"
    return 1
  fi
  [[ -f "$log" ]] && mv -f "$log" "$log.prev"
  local secret seed; secret="$(machine_secret guest-token-secret)"; seed="$(machine_secret authority-seed)"
  pid=$(start_daemon "$log" "$pidfile" PARLEY_SIGNALING_GUESTS_TOKEN_SECRET="$secret" \
    PARLEY_PRESENCE_GUESTS_TOKEN_SECRET="$secret" PARLEY_KEY_DISTRIBUTION_GUESTS_TOKEN_SECRET="$secret" \
    PARLEY_KEY_DISTRIBUTION_AUTHORITY_SEED="$seed" \
    "$JAVA_BIN" -Xmx256m -XX:+UseSerialGC -jar "$(jar_of "$s")")
  say "$s" "starting on http://127.0.0.1:${PORT[$s]} (pid $pid)"
}

cmd_up() {
  cmd_build
  mkdir -p "$STATE"
  local s t0 rc=0 status
  t0=$(now_ms)
  for s in "${SERVICES[@]}"; do start_one "$s" || return 1; done
  for s in "${SERVICES[@]}"; do
    local pid; pid=$(our_pid "$STATE/$s.pid" || true)
    status=0
    wait_ready "$s" "$pid" "$READY_TIMEOUT" ready "$s" || status=$?
    case $status in
      0) ;;
      1) fail "$s" "$STATE/$s.log" "not ready after ${READY_TIMEOUT} s; readiness says: $(curl -s -m 3 "http://127.0.0.1:${PORT[$s]}/q/health/ready" | tr -d '\n ' | cut -c1-400)" || rc=1 ;;
      *) fail "$s" "$STATE/$s.log" "exited while starting" || rc=1 ;;
    esac
  done
  ((rc == 0)) && say services "all four ready in $(secs_since "$t0")"
  return "$rc"
}

cmd_down() {
  local s
  for s in "${SERVICES[@]}"; do
    stop_pid "$s" "$STATE/$s.pid" service || true
  done
}

cmd_status() {
  local s pid
  for s in "${SERVICES[@]}"; do
    if pid=$(our_pid "$STATE/$s.pid"); then
      printf '%-18s %-8s pid %-8s http://127.0.0.1:%s  readiness %s\n' "$s" running "$pid" "${PORT[$s]}" \
        "$(http_status "http://127.0.0.1:${PORT[$s]}/q/health/ready")"
    else
      printf '%-18s %s\n' "$s" stopped
    fi
  done
}

case "${1:-}" in
  build) cmd_build ;;
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' "${BASH_SOURCE[0]}"; exit 2 ;;
esac
