# shellcheck shell=bash
# Kafka: single-node KRaft broker+controller run straight from the Maven Central jars.
#   jars     $PARLEY_HOME/tools/kafka-libs/          (dev/kafka/pom.xml, fetched once)
#   tool     $PARLEY_HOME/tools/kafka-topics/        (dev/kafka/Topics.java, compiled once)
#   instance $PARLEY_HOME/kafka/<instance>/{data/,server.properties,kafka.log,pid}
# Env: PARLEY_KAFKA_INSTANCE (main), KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093),
#      KAFKA_START_TIMEOUT (60), KAFKA_HEAP_OPTS (-Xms128m -Xmx512m), KAFKA_JVM_OPTS (extra JVM flags;
#      e.g. -XX:TieredStopAtLevel=1 starts a throw-away test broker ~25% faster).

KAFKA_VERSION=4.4.0
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_INSTANCE="${PARLEY_KAFKA_INSTANCE:-main}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m}"
KAFKA_JVM_OPTS="${KAFKA_JVM_OPTS:-}"

KAFKA_LIBS="$PARLEY_TOOLS/kafka-libs"
KAFKA_TOPICS_CLASSES="$PARLEY_TOOLS/kafka-topics"
KAFKA_DIR="$PARLEY_HOME/kafka/$KAFKA_INSTANCE"
KAFKA_DATA="$KAFKA_DIR/data"
KAFKA_LOG="$KAFKA_DIR/kafka.log"
KAFKA_PIDFILE="$KAFKA_DIR/pid"
KAFKA_PROPS="$KAFKA_DIR/server.properties"
KAFKA_PORTFILE="$KAFKA_DIR/ports"             # "<port> <controller port>" of the running broker
KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT"

# JVM flags for the short-lived tools (format, topics): start fast, log only warnings
KAFKA_TOOL_JVM=(-Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m
                -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)

kafka_label() { [[ "$KAFKA_INSTANCE" == main ]] && echo kafka || echo "kafka:$KAFKA_INSTANCE"; }

# Fetch the broker jars once (again only when dev/kafka/pom.xml changes).
kafka_ensure_libs() { with_lock "$PARLEY_TOOLS/.kafka-libs.lock" kafka_fetch_libs "$@"; }
kafka_fetch_libs() {
  local part=$1 stamp want
  want=$(sha1sum "$PARLEY_DEV_DIR/kafka/pom.xml" | cut -c1-40)
  stamp="$KAFKA_LIBS/.fetched"
  [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && return 0
  say "$part" "fetching Kafka $KAFKA_VERSION jars via Maven (first time only) ..."
  local t0 tmp
  t0=$(now_ms)
  tmp="$KAFKA_LIBS.tmp.$$"
  rm -rf "$tmp"
  mvn_run "$part" "$PARLEY_TOOLS/kafka-libs-mvn.log" -f "$PARLEY_DEV_DIR/kafka/pom.xml" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" || { rm -rf "$tmp"; return 1; }
  rm -rf "$KAFKA_LIBS"
  mv "$tmp" "$KAFKA_LIBS"
  echo "$want" >"$stamp"
  say "$part" "$(ls "$KAFKA_LIBS"/*.jar | wc -l) jars in $KAFKA_LIBS ($(secs_since "$t0"))"
}

# Compile dev/kafka/Topics.java once (again when it or the jars change).
kafka_ensure_topics_tool() { with_lock "$PARLEY_TOOLS/.kafka-topics.lock" kafka_compile_topics_tool "$@"; }
kafka_compile_topics_tool() {
  local part=$1 stamp want
  want="$(sha1sum "$PARLEY_DEV_DIR/kafka/Topics.java" | cut -c1-40) $(cat "$KAFKA_LIBS/.fetched")"
  stamp="$KAFKA_TOPICS_CLASSES/.compiled"
  [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && return 0
  rm -rf "$KAFKA_TOPICS_CLASSES"
  mkdir -p "$KAFKA_TOPICS_CLASSES"
  if ! "$JAVAC_BIN" -nowarn -d "$KAFKA_TOPICS_CLASSES" -cp "$KAFKA_LIBS/*" \
        "$PARLEY_DEV_DIR/kafka/Topics.java" >"$PARLEY_TOOLS/kafka-topics-javac.log" 2>&1; then
    fail "$part" "$PARLEY_TOOLS/kafka-topics-javac.log" "could not compile dev/kafka/Topics.java"
    return 1
  fi
  echo "$want" >"$stamp"
}

kafka_render_props() {
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
      -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
      -e "s|@DATA_DIR@|$KAFKA_DATA|g" \
      "$PARLEY_DEV_DIR/kafka/server.properties.template" >"$KAFKA_PROPS"
}

# Format the data dir once; later starts reuse it (same cluster id, same topics and offsets).
kafka_format_once() {
  local part=$1 cid out
  [[ -f "$KAFKA_DATA/meta.properties" ]] && return 0
  cid=$("$JAVA_BIN" "${KAFKA_TOOL_JVM[@]}" -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
  [[ "$cid" =~ ^[A-Za-z0-9_-]{22}$ ]] || { fail "$part" "" "could not generate a cluster id (got '$cid')"; return 1; }
  mkdir -p "$KAFKA_DATA"
  if ! out=$("$JAVA_BIN" "${KAFKA_TOOL_JVM[@]}" -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool \
               format -t "$cid" -c "$KAFKA_PROPS" 2>&1); then
    printf '%s\n' "$out" >>"$KAFKA_LOG"
    fail "$part" "$KAFKA_LOG" "formatting $KAFKA_DATA failed"
    return 1
  fi
  say "$part" "formatted $KAFKA_DATA (cluster id $cid)"
}

kafka_started_in_log() { port_open "$KAFKA_PORT" && grep -q 'Kafka Server started' "$KAFKA_LOG" 2>/dev/null; }

kafka_up() {
  local part pid t0 rc
  part=$(kafka_label)
  mkdir -p "$KAFKA_DIR"
  take_lock "$part" "$KAFKA_DIR/.lock" || return 1

  if pid=$(our_pid "$KAFKA_PIDFILE"); then
    local ports
    ports=$(cat "$KAFKA_PORTFILE" 2>/dev/null || true)
    if [[ -n "$ports" && "$ports" != "$KAFKA_PORT $KAFKA_CONTROLLER_PORT" ]]; then
      fail "$part" "" "instance '$KAFKA_INSTANCE' is already running (pid $pid) on ports $ports, not" \
        "$KAFKA_PORT $KAFKA_CONTROLLER_PORT: use those ports or run 'dev/stack.sh down kafka' first"
      return 1
    fi
    if ! port_open "$KAFKA_PORT"; then
      say "$part" "broker (pid $pid) is still starting; waiting ..."
      wait_ready "$part" "$pid" "$KAFKA_START_TIMEOUT" kafka_started_in_log ||
        { fail "$part" "$KAFKA_LOG" "broker pid $pid did not open $KAFKA_BOOTSTRAP"; return 1; }
    fi
    say "$part" "already running (pid $pid, $KAFKA_BOOTSTRAP): reused"
  elif port_open "$KAFKA_PORT"; then
    rm -f "$KAFKA_PIDFILE"
    say "$part" "$KAFKA_BOOTSTRAP is already answering (not started by stack.sh): reused as external"
  else
    rm -f "$KAFKA_PIDFILE"
    if port_open "$KAFKA_CONTROLLER_PORT"; then
      fail "$part" "" "controller port 127.0.0.1:$KAFKA_CONTROLLER_PORT is taken by another process (set KAFKA_CONTROLLER_PORT)"
      return 1
    fi
    kafka_ensure_libs "$part" || return 1
    kafka_render_props
    kafka_format_once "$part" || return 1
    [[ -f "$KAFKA_LOG" ]] && mv -f "$KAFKA_LOG" "$KAFKA_LOG.prev"
    say "$part" "starting broker on $KAFKA_BOOTSTRAP (controller :$KAFKA_CONTROLLER_PORT, instance $KAFKA_INSTANCE) ..."
    echo "=== $(date '+%F %T') dev/stack.sh: starting Kafka $KAFKA_VERSION, $KAFKA_PROPS" >"$KAFKA_LOG"
    t0=$(now_ms)
    # shellcheck disable=SC2086 # KAFKA_HEAP_OPTS and KAFKA_JVM_OPTS are lists of flags
    pid=$(start_daemon "$KAFKA_LOG" "$KAFKA_PIDFILE" "$JAVA_BIN" $KAFKA_HEAP_OPTS $KAFKA_JVM_OPTS \
            -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
            -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
            -Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info \
            -Dorg.slf4j.simpleLogger.showDateTime=true \
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS" \
            -Dparley.instance="$KAFKA_INSTANCE" \
            -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_PROPS") ||
      { fail "$part" "$KAFKA_LOG" "could not launch the broker"; return 1; }
    echo "$KAFKA_PORT $KAFKA_CONTROLLER_PORT" >"$KAFKA_PORTFILE"
    rc=0
    wait_ready "$part" "$pid" "$KAFKA_START_TIMEOUT" kafka_started_in_log || rc=$?
    if ((rc != 0)); then
      if ((rc == 2)); then
        fail "$part" "$KAFKA_LOG" "broker exited during start-up"
      else
        stop_pid "$part" "$KAFKA_PIDFILE" broker >/dev/null || true
        fail "$part" "$KAFKA_LOG" "broker not ready within ${KAFKA_START_TIMEOUT} s (stopped it)"
      fi
      rm -f "$KAFKA_PIDFILE"
      return 1
    fi
    say "$part" "ready (pid $pid, $(secs_since "$t0"))"
  fi
  kafka_topics_apply "$part"
}

# Create/update the topics of dev/kafka/topics.conf with one JVM (dev/kafka/Topics.java).
kafka_topics_apply() {
  local part=${1:-$(kafka_label)} t0
  kafka_ensure_libs "$part" || return 1
  kafka_ensure_topics_tool "$part" || return 1
  t0=$(now_ms)
  if ! "$JAVA_BIN" "${KAFKA_TOOL_JVM[@]}" -cp "$KAFKA_LIBS/*:$KAFKA_TOPICS_CLASSES" \
        Topics "$KAFKA_BOOTSTRAP" "$PARLEY_DEV_DIR/kafka/topics.conf" 2>&1 | sed "s/^\[kafka\]/[$part]/"; then
    fail "$part" "$KAFKA_LOG" "could not apply dev/kafka/topics.conf to $KAFKA_BOOTSTRAP"
    return 1
  fi
}

kafka_down() {
  local part
  part=$(kafka_label)
  mkdir -p "$KAFKA_DIR"
  take_lock "$part" "$KAFKA_DIR/.lock" || return 1
  if stop_pid "$part" "$KAFKA_PIDFILE" broker; then
    rm -f "$KAFKA_PORTFILE"
  elif port_open "$KAFKA_PORT"; then
    say "$part" "$KAFKA_BOOTSTRAP was not started by stack.sh: left running"
  else
    say "$part" "not running"
  fi
}

kafka_status() {
  local part pid
  part=$(kafka_label)
  if pid=$(our_pid "$KAFKA_PIDFILE"); then
    local port
    port=$(cut -d' ' -f1 "$KAFKA_PORTFILE" 2>/dev/null || echo "$KAFKA_PORT")
    if port_open "$port"; then
      status_line "$part" running "pid $pid" "127.0.0.1:$port" "started by stack.sh, data $KAFKA_DATA"
    else
      status_line "$part" starting "pid $pid" "127.0.0.1:$port" "started by stack.sh, not listening yet"
    fi
  elif port_open "$KAFKA_PORT"; then
    status_line "$part" running external "$KAFKA_BOOTSTRAP" "not started by stack.sh"
  else
    status_line "$part" stopped - "$KAFKA_BOOTSTRAP" ""
    return 3
  fi
}

kafka_clean() {
  kafka_down || return 1
  rm -rf "$KAFKA_DIR"
  say "$(kafka_label)" "removed $KAFKA_DIR"
}
