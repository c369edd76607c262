# shellcheck shell=bash
# Keycloak: the Maven Central distribution (org.keycloak:keycloak-quarkus-dist zip) in dev mode.
#   dist   $PARLEY_HOME/tools/keycloak-<version>/      (unzipped once; its lib/quarkus holds the build)
#   state  $PARLEY_HOME/keycloak/{data/h2/keycloakdb.mv.db,keycloak.log,pid}
# The realm dev/keycloak/parley-realm.json is copied into the dist's data/import at every start and
# imported with --import-realm when the realm does not exist yet (a fresh H2 database): after
# editing it run `dev/stack.sh clean keycloak && dev/stack.sh up keycloak`.
# Env: KEYCLOAK_PORT (8180), KEYCLOAK_START_TIMEOUT (180),
#      KEYCLOAK_HOSTNAME (http://127.0.0.1:$KEYCLOAK_PORT; empty = take the host from each request).

KEYCLOAK_VERSION=26.5.6
KEYCLOAK_PORT="${KEYCLOAK_PORT:-8180}"
KEYCLOAK_START_TIMEOUT="${KEYCLOAK_START_TIMEOUT:-180}"
KEYCLOAK_HOSTNAME="${KEYCLOAK_HOSTNAME-http://127.0.0.1:$KEYCLOAK_PORT}"
KEYCLOAK_REALM=parley

KEYCLOAK_DIST="$PARLEY_TOOLS/keycloak-$KEYCLOAK_VERSION"
KEYCLOAK_DIR="$PARLEY_HOME/keycloak"
KEYCLOAK_LOG="$KEYCLOAK_DIR/keycloak.log"
KEYCLOAK_PIDFILE="$KEYCLOAK_DIR/pid"
KEYCLOAK_PORTFILE="$KEYCLOAK_DIR/port"        # HTTP port of the running server
KEYCLOAK_URL="http://127.0.0.1:$KEYCLOAK_PORT"
KEYCLOAK_READY_URL="$KEYCLOAK_URL/realms/$KEYCLOAK_REALM/.well-known/openid-configuration"

keycloak_realm_ready() { [[ "$(http_status "$KEYCLOAK_READY_URL")" == 200 ]]; }

# Unzip the distribution once (the zip is resolved by Maven and cached in its local repository).
keycloak_ensure_dist() { with_lock "$PARLEY_TOOLS/.keycloak-dist.lock" keycloak_unpack_dist; }
keycloak_unpack_dist() {
  [[ -f "$KEYCLOAK_DIST/.unzipped" ]] && return 0
  local t0 tmp artifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip"
  local cached="${HOME}/.m2/repository/org/keycloak/keycloak-quarkus-dist/$KEYCLOAK_VERSION/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip"
  t0=$(now_ms)
  if [[ -f "$cached" ]]; then
    say keycloak "unpacking keycloak-quarkus-dist $KEYCLOAK_VERSION from the Maven local repository (first time only) ..."
  else
    say keycloak "downloading keycloak-quarkus-dist $KEYCLOAK_VERSION (165 MB, first time only) ..."
  fi
  tmp="$PARLEY_TOOLS/keycloak-download.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  mvn_run keycloak "$PARLEY_TOOLS/keycloak-mvn.log" dependency:copy -Dartifact="$artifact" \
    -DoutputDirectory="$tmp" || { rm -rf "$tmp"; return 1; }
  rm -rf "$KEYCLOAK_DIST"
  if ! unzip -q "$tmp/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip" -d "$tmp"; then
    rm -rf "$tmp"
    fail keycloak "" "could not unzip keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip"
    return 1
  fi
  mv "$tmp/keycloak-$KEYCLOAK_VERSION" "$KEYCLOAK_DIST"
  rm -rf "$tmp"
  touch "$KEYCLOAK_DIST/.unzipped"
  say keycloak "unpacked into $KEYCLOAK_DIST ($(secs_since "$t0"))"
}

keycloak_up() {
  local pid t0 rc code
  mkdir -p "$KEYCLOAK_DIR"
  take_lock keycloak "$KEYCLOAK_DIR/.lock" || return 1

  if pid=$(our_pid "$KEYCLOAK_PIDFILE"); then
    local port
    port=$(cat "$KEYCLOAK_PORTFILE" 2>/dev/null || true)
    if [[ -n "$port" && "$port" != "$KEYCLOAK_PORT" ]]; then
      fail keycloak "" "Keycloak is already running (pid $pid) on port $port, not $KEYCLOAK_PORT:" \
        "use KEYCLOAK_PORT=$port or run 'dev/stack.sh down keycloak' first"
      return 1
    fi
    if ! keycloak_realm_ready; then
      say keycloak "server (pid $pid) is still starting; waiting ..."
      wait_ready keycloak "$pid" "$KEYCLOAK_START_TIMEOUT" keycloak_realm_ready ||
        { fail keycloak "$KEYCLOAK_LOG" "pid $pid: $KEYCLOAK_READY_URL did not answer 200"; return 1; }
    fi
    say keycloak "already running (pid $pid, $KEYCLOAK_URL): reused"
    return 0
  fi
  rm -f "$KEYCLOAK_PIDFILE"
  if port_open "$KEYCLOAK_PORT"; then
    # someone else's server: fine if it serves our realm (give a starting server a few seconds)
    if wait_ready keycloak "" 5 keycloak_realm_ready; then
      say keycloak "$KEYCLOAK_URL already serves realm '$KEYCLOAK_REALM' (not started by stack.sh): reused as external"
      return 0
    fi
    code=$(http_status "$KEYCLOAK_READY_URL")
    fail keycloak "" "127.0.0.1:$KEYCLOAK_PORT is taken by a process stack.sh did not start, and" \
      "$KEYCLOAK_READY_URL answers $code, not 200 (stop it or set KEYCLOAK_PORT)"
    return 1
  fi

  keycloak_ensure_dist || return 1
  mkdir -p "$KEYCLOAK_DIST/data/import"
  rm -f "$KEYCLOAK_DIST"/data/import/*.json
  cp "$PARLEY_DEV_DIR/keycloak/parley-realm.json" "$KEYCLOAK_DIST/data/import/"
  [[ -f "$KEYCLOAK_LOG" ]] && mv -f "$KEYCLOAK_LOG" "$KEYCLOAK_LOG.prev"
  # (the zip ships a build for `start`; start-dev re-augments once, then reuses it)
  if [[ -f "$KEYCLOAK_DIST/.dev-built" ]]; then
    say keycloak "starting Keycloak $KEYCLOAK_VERSION on $KEYCLOAK_URL ..."
  else
    say keycloak "starting Keycloak $KEYCLOAK_VERSION on $KEYCLOAK_URL (first start builds the server, ~45 s) ..."
  fi
  echo "=== $(date '+%F %T') dev/stack.sh: starting Keycloak $KEYCLOAK_VERSION (start-dev) on port $KEYCLOAK_PORT" >"$KEYCLOAK_LOG"
  t0=$(now_ms)
  local args=(start-dev --http-port "$KEYCLOAK_PORT" --http-host 127.0.0.1 --import-realm
              --log-console-color=false)
  [[ -n "$KEYCLOAK_HOSTNAME" ]] && args+=(--hostname "$KEYCLOAK_HOSTNAME")
  # KC_DB_URL_PATH: the dev-file H2 database goes to $KEYCLOAK_DIR/data/h2 instead of the dist's data/
  pid=$(cd "$KEYCLOAK_DIR" && start_daemon "$KEYCLOAK_LOG" "$KEYCLOAK_PIDFILE" \
          KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
          KC_DB_URL_PATH="$KEYCLOAK_DIR" \
          JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m" \
          "$KEYCLOAK_DIST/bin/kc.sh" "${args[@]}") ||
    { fail keycloak "$KEYCLOAK_LOG" "could not launch kc.sh"; return 1; }
  echo "$KEYCLOAK_PORT" >"$KEYCLOAK_PORTFILE"
  rc=0
  wait_ready keycloak "$pid" "$KEYCLOAK_START_TIMEOUT" keycloak_realm_ready || rc=$?
  if ((rc != 0)); then
    if ((rc == 2)); then
      fail keycloak "$KEYCLOAK_LOG" "Keycloak exited during start-up"
    else
      stop_pid keycloak "$KEYCLOAK_PIDFILE" Keycloak >/dev/null || true
      fail keycloak "$KEYCLOAK_LOG" "$KEYCLOAK_READY_URL did not answer 200 within ${KEYCLOAK_START_TIMEOUT} s (stopped it)"
    fi
    rm -f "$KEYCLOAK_PIDFILE"
    return 1
  fi
  touch "$KEYCLOAK_DIST/.dev-built"
  say keycloak "ready (pid $pid, $(secs_since "$t0")): realm '$KEYCLOAK_REALM', admin console $KEYCLOAK_URL/admin (admin/admin)"
}

keycloak_down() {
  mkdir -p "$KEYCLOAK_DIR"
  take_lock keycloak "$KEYCLOAK_DIR/.lock" || return 1
  if stop_pid keycloak "$KEYCLOAK_PIDFILE" Keycloak; then
    rm -f "$KEYCLOAK_PORTFILE"
  elif port_open "$KEYCLOAK_PORT"; then
    say keycloak "127.0.0.1:$KEYCLOAK_PORT was not started by stack.sh: left running"
  else
    say keycloak "not running"
  fi
}

keycloak_status() {
  local pid realm port
  if pid=$(our_pid "$KEYCLOAK_PIDFILE"); then   # report the port it was started with
    port=$(cat "$KEYCLOAK_PORTFILE" 2>/dev/null || echo "$KEYCLOAK_PORT")
    KEYCLOAK_URL="http://127.0.0.1:$port"
    KEYCLOAK_READY_URL="$KEYCLOAK_URL/realms/$KEYCLOAK_REALM/.well-known/openid-configuration"
  fi
  keycloak_realm_ready && realm="realm '$KEYCLOAK_REALM' ready" || realm="realm '$KEYCLOAK_REALM' NOT ready"
  if pid=$(our_pid "$KEYCLOAK_PIDFILE"); then
    status_line keycloak running "pid $pid" "$KEYCLOAK_URL" "started by stack.sh, $realm"
  elif port_open "$KEYCLOAK_PORT"; then
    status_line keycloak running external "$KEYCLOAK_URL" "not started by stack.sh, $realm"
  else
    status_line keycloak stopped - "$KEYCLOAK_URL" ""
    return 3
  fi
}

keycloak_clean() {
  keycloak_down || return 1
  rm -rf "$KEYCLOAK_DIR"
  say keycloak "removed $KEYCLOAK_DIR (the realm is imported again at the next start)"
}
