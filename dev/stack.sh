#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Parley local stack without Docker: Kafka (KRaft), Redis and Keycloak as plain processes.
#
#   dev/stack.sh up     [kafka|redis|keycloak ...]   start (or reuse) and wait until ready; then create topics
#   dev/stack.sh down   [parts]                      stop what this script started (never anything else)
#   dev/stack.sh status [parts]                      one line per part; exit 0 if all run, 3 otherwise
#   dev/stack.sh topics                              (re)apply dev/kafka/topics.conf to the broker
#   dev/stack.sh clean  [parts]                      down, then delete the parts' state (data, logs)
#
# Default parts: kafka redis keycloak. All state lives in ${PARLEY_HOME:-<repo>/.parley}.
# Environment:
#   KAFKA_PORT=9092 KAFKA_CONTROLLER_PORT=9093 PARLEY_KAFKA_INSTANCE=main
#   REDIS_PORT=6379 KEYCLOAK_PORT=8180 KEYCLOAK_HOSTNAME=http://127.0.0.1:$KEYCLOAK_PORT
#   KAFKA_START_TIMEOUT=60 REDIS_START_TIMEOUT=10 KEYCLOAK_START_TIMEOUT=180
# A second broker for tests (own data, log and pid; keeps its data across down/up):
#   PARLEY_KAFKA_INSTANCE=outage KAFKA_PORT=19092 KAFKA_CONTROLLER_PORT=19093 dev/stack.sh up kafka
set -euo pipefail

LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib"
# shellcheck source=lib/common.sh
source "$LIB/common.sh"
# shellcheck source=lib/kafka.sh
source "$LIB/kafka.sh"
# shellcheck source=lib/redis.sh
source "$LIB/redis.sh"
# shellcheck source=lib/keycloak.sh
source "$LIB/keycloak.sh"

ALL_PARTS=(kafka redis keycloak)

usage() { awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' "${BASH_SOURCE[0]}"; }

# status_line PART STATE PID ADDRESS NOTE
status_line() { printf '%-14s %-8s %-10s %-24s %s\n' "$1" "$2" "$3" "$4" "$5"; }

# run_parts ACTION PART...: run <part>_<action> for every part concurrently, each in its own
# subshell (errexit active there); returns 1 if any failed, after printing which.
run_parts() {
  local action=$1; shift
  local -A jobs=()
  local part failed=()
  for part in "$@"; do
    (
      set -eE
      # explain failures that fail() did not already report
      trap 'rc=$?; [[ -n "${PARLEY_FAILED_REPORTED:-}" ]] || warn "$part" "FAILED: \`$BASH_COMMAND\` exited $rc (${BASH_SOURCE[0]##*/dev/} line $LINENO)"' ERR
      "${part}_${action}"
    ) &
    jobs[$part]=$!
  done
  for part in "$@"; do
    wait "${jobs[$part]}" || failed+=("$part")
  done
  if ((${#failed[@]})); then
    warn stack "$action FAILED for: ${failed[*]}"
    return 1
  fi
}

parse_parts() {
  local p
  PARTS=()
  (($#)) || set -- "${ALL_PARTS[@]}"
  for p in "$@"; do
    case "$p" in
      kafka | redis | keycloak) [[ " ${PARTS[*]} " == *" $p "* ]] || PARTS+=("$p") ;;
      all) PARTS=("${ALL_PARTS[@]}") ;;
      *) warn stack "unknown part '$p' (expected: ${ALL_PARTS[*]})"; exit 2 ;;
    esac
  done
}

cmd_up() {
  parse_parts "$@"
  local t0 rc=0 summary=() p
  t0=$(now_ms)
  mkdir -p "$PARLEY_TOOLS"
  run_parts up "${PARTS[@]}" || rc=$?
  if ((rc == 0)); then
    for p in "${PARTS[@]}"; do
      case "$p" in
        kafka) summary+=("kafka=$KAFKA_BOOTSTRAP") ;;
        redis) summary+=("redis=127.0.0.1:$REDIS_PORT") ;;
        keycloak) summary+=("keycloak=$KEYCLOAK_URL/realms/$KEYCLOAK_REALM") ;;
      esac
    done
    say stack "ready in $(secs_since "$t0"): ${summary[*]}"
  fi
  return "$rc"
}

cmd_down() {
  parse_parts "$@"
  run_parts down "${PARTS[@]}"
}

cmd_status() {
  parse_parts "$@"
  local p rc=0
  for p in "${PARTS[@]}"; do "${p}_status" || rc=3; done
  return "$rc"
}

cmd_topics() {
  port_open "$KAFKA_PORT" || { fail "$(kafka_label)" "" "nothing listens on $KAFKA_BOOTSTRAP (run: dev/stack.sh up kafka)"; return 1; }
  kafka_topics_apply
}

cmd_clean() {
  parse_parts "$@"
  run_parts clean "${PARTS[@]}"
}

main() {
  local cmd=${1:-help}
  (($#)) && shift
  case "$cmd" in
    up) cmd_up "$@" ;;
    down | stop) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    topics) cmd_topics ;;
    clean) cmd_clean "$@" ;;
    help | -h | --help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
