# shellcheck shell=bash
# Redis: reuse whatever answers PING on 127.0.0.1:$REDIS_PORT; otherwise start one.
#   state  $PARLEY_HOME/redis/<port>/{redis.log,pid}     (no persistence: --save '' --appendonly no)
# Which redis-server: $PARLEY_REDIS_SERVER (a path, or "embedded") > redis-server on PATH >
# `apt-get install redis-server` when root > the binary inside com.github.codemonstur:embedded-redis.
# Env: REDIS_PORT (6379), REDIS_START_TIMEOUT (10).

REDIS_PORT="${REDIS_PORT:-6379}"
REDIS_START_TIMEOUT="${REDIS_START_TIMEOUT:-10}"
REDIS_EMBEDDED_ARTIFACT="com.github.codemonstur:embedded-redis:1.4.4"

REDIS_DIR="$PARLEY_HOME/redis/$REDIS_PORT"
REDIS_LOG="$REDIS_DIR/redis.log"
REDIS_PIDFILE="$REDIS_DIR/pid"

# redis_ping -> 0 if a Redis answers PING on the port (RESP over bash /dev/tcp; no redis-cli needed)
redis_ping() {
  local reply
  reply=$( (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" || exit 1
            printf 'PING\r\n' >&3
            IFS= read -r -t 2 line <&3 && printf '%s' "$line") 2>/dev/null) || return 1
  [[ "$reply" == "+PONG"* ]]
}

# Extract the linux binary from the embedded-redis jar (fetched through Maven, cached in ~/.m2).
redis_embedded_binary() { with_lock "$PARLEY_TOOLS/.embedded-redis.lock" redis_extract_embedded; }
redis_extract_embedded() {
  local arch dir bin
  case "$(uname -m)" in
    x86_64|amd64) arch=linux-amd64 ;;
    aarch64|arm64) arch=linux-arm64 ;;
    i?86) arch=linux-386 ;;
    *) fail redis "" "no embedded redis binary for $(uname -m)"; return 1 ;;
  esac
  dir="$PARLEY_TOOLS/embedded-redis"
  bin=$(ls "$dir"/redis-server-*-"$arch" 2>/dev/null | head -n 1)
  if [[ -z "$bin" ]]; then
    say redis "fetching $REDIS_EMBEDDED_ARTIFACT (bundled redis-server) via Maven ..." >&2
    mkdir -p "$dir"
    mvn_run redis "$PARLEY_TOOLS/embedded-redis-mvn.log" dependency:copy \
      -Dartifact="$REDIS_EMBEDDED_ARTIFACT" -DoutputDirectory="$dir" >&2 || return 1
    (cd "$dir" && unzip -q -o embedded-redis-*.jar "redis-server-*-$arch" && rm -f embedded-redis-*.jar) ||
      { fail redis "" "could not extract redis-server-*-$arch from the embedded-redis jar" >&2; return 1; }
    bin=$(ls "$dir"/redis-server-*-"$arch" | head -n 1)
    chmod +x "$bin"
  fi
  echo "$bin"
}

# redis_server_binary -> path of the redis-server to run (installing one if needed)
redis_server_binary() {
  if [[ -n "${PARLEY_REDIS_SERVER:-}" ]]; then
    if [[ "$PARLEY_REDIS_SERVER" == embedded ]]; then redis_embedded_binary; else echo "$PARLEY_REDIS_SERVER"; fi
    return
  fi
  if command -v redis-server >/dev/null 2>&1; then command -v redis-server; return; fi
  if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    say redis "redis-server not found: apt-get install -y redis-server ..." >&2
    local aptlog="$PARLEY_TOOLS/redis-apt.log"
    mkdir -p "$PARLEY_TOOLS"
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server >"$aptlog" 2>&1 ||
       { DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$aptlog" 2>&1 &&
         DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server >>"$aptlog" 2>&1; }; then
      if command -v redis-server >/dev/null 2>&1; then command -v redis-server; return; fi
    fi
    warn redis "apt-get gave no redis-server on PATH (see $aptlog); using the embedded-redis binary instead"
  fi
  redis_embedded_binary
}

redis_up() {
  local pid bin t0 rc
  mkdir -p "$REDIS_DIR"
  take_lock redis "$REDIS_DIR/.lock" || return 1

  if pid=$(our_pid "$REDIS_PIDFILE") && redis_ping; then
    say redis "already running (pid $pid, 127.0.0.1:$REDIS_PORT): reused"
    return 0
  fi
  if redis_ping; then
    rm -f "$REDIS_PIDFILE"
    say redis "127.0.0.1:$REDIS_PORT already answers PING (not started by stack.sh): reused as external"
    return 0
  fi
  if [[ -n "$pid" ]]; then   # ours but not answering: hung or still starting
    wait_ready redis "$pid" "$REDIS_START_TIMEOUT" redis_ping && { say redis "ready (pid $pid)"; return 0; }
    stop_pid redis "$REDIS_PIDFILE" redis-server || true
  fi
  rm -f "$REDIS_PIDFILE"
  if port_open "$REDIS_PORT"; then
    fail redis "" "127.0.0.1:$REDIS_PORT is taken by something that does not answer PING (set REDIS_PORT)"
    return 1
  fi

  bin=$(redis_server_binary) || return 1
  # the apt package may have started a Redis of its own on the default port
  if redis_ping; then
    say redis "127.0.0.1:$REDIS_PORT answers PING now (started by the package): reused as external"
    return 0
  fi
  [[ -f "$REDIS_LOG" ]] && mv -f "$REDIS_LOG" "$REDIS_LOG.prev"
  say redis "starting $bin on 127.0.0.1:$REDIS_PORT ..."
  t0=$(now_ms)
  pid=$(cd "$REDIS_DIR" && start_daemon "$REDIS_LOG" "$REDIS_PIDFILE" "$bin" \
          --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
          --dir "$REDIS_DIR") ||
    { fail redis "$REDIS_LOG" "could not launch $bin"; return 1; }
  rc=0
  wait_ready redis "$pid" "$REDIS_START_TIMEOUT" redis_ping || rc=$?
  if ((rc != 0)); then
    ((rc == 2)) || stop_pid redis "$REDIS_PIDFILE" redis-server >/dev/null || true
    rm -f "$REDIS_PIDFILE"
    fail redis "$REDIS_LOG" "redis-server did not answer PING within ${REDIS_START_TIMEOUT} s"
    return 1
  fi
  say redis "ready (pid $pid, $(secs_since "$t0"))"
}

redis_down() {
  mkdir -p "$REDIS_DIR"
  take_lock redis "$REDIS_DIR/.lock" || return 1
  if stop_pid redis "$REDIS_PIDFILE" redis-server; then
    return 0
  elif redis_ping || port_open "$REDIS_PORT"; then
    say redis "127.0.0.1:$REDIS_PORT was not started by stack.sh: left running"
  else
    say redis "not running"
  fi
}

redis_status() {
  local pid
  if pid=$(our_pid "$REDIS_PIDFILE"); then
    status_line redis running "pid $pid" "127.0.0.1:$REDIS_PORT" "started by stack.sh$(redis_ping || echo ', NOT answering PING')"
  elif redis_ping; then
    status_line redis running external "127.0.0.1:$REDIS_PORT" "not started by stack.sh"
  else
    status_line redis stopped - "127.0.0.1:$REDIS_PORT" ""
    return 3
  fi
}

redis_clean() {
  redis_down || return 1
  rm -rf "$REDIS_DIR"
  say redis "removed $REDIS_DIR"
}
