# shellcheck shell=bash
# shellcheck disable=SC2034  # variables used by the other dev/lib/*.sh files
# Helpers shared by dev/lib/{kafka,redis,keycloak}.sh: logging, paths, PID files, waiting.
# Sourced by dev/stack.sh; not meant to be run on its own.

PARLEY_DEV_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PARLEY_REPO="$(cd "$PARLEY_DEV_DIR/.." && pwd)"
PARLEY_HOME="${PARLEY_HOME:-$PARLEY_REPO/.parley}"
mkdir -p "$PARLEY_HOME"
PARLEY_HOME="$(cd "$PARLEY_HOME" && pwd)"   # absolute, whatever the caller's cwd
PARLEY_TOOLS="$PARLEY_HOME/tools"

JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAVAC_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}javac"

# ---------------------------------------------------------------- output

# say PART MESSAGE...   ->  "[part] message" on stdout
say() { local part=$1; shift; printf '[%s] %s\n' "$part" "$*"; }
# warn PART MESSAGE...  ->  same on stderr
warn() { local part=$1; shift; printf '[%s] %s\n' "$part" "$*" >&2; }

# fail PART LOGFILE MESSAGE...  -> explain the failure, show the log's tail, return 1
fail() {
  local part=$1 logfile=$2; shift 2
  PARLEY_FAILED_REPORTED=1
  {
    printf '[%s] FAILED: %s\n' "$part" "$*"
    if [[ -n "$logfile" && -f "$logfile" ]]; then
      printf '[%s] log: %s (last 30 lines below)\n' "$part" "$logfile"
      tail -n 30 "$logfile" | sed "s/^/[$part]   | /"
    elif [[ -n "$logfile" ]]; then
      printf '[%s] log: %s (not written)\n' "$part" "$logfile"
    fi
  } >&2
  return 1
}

now_ms() { local t; t=$(date +%s%N); echo $((t / 1000000)); }
# secs_since START_MS -> "2.4 s"
secs_since() {
  local d=$(( $(now_ms) - $1 ))
  printf '%d.%d s' $((d / 1000)) $(((d % 1000) / 100))
}

# ---------------------------------------------------------------- network

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT (bash /dev/tcp, no nc needed)
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# http_status URL -> prints the HTTP status code ("000" when nothing answers)
http_status() {
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -m 3 -w '%{http_code}' "$1" 2>/dev/null || true
    return 0
  fi
  # fallback without curl: plain HTTP/1.0 over /dev/tcp (only http://host:port/path)
  local rest=${1#http://} hostport path line
  hostport=${rest%%/*}; path=/${rest#*/}
  line=$( (exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}" || exit 1
           printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$hostport" >&3
           IFS= read -r -t 3 l <&3 && printf '%s' "$l") 2>/dev/null) || true
  line=${line#HTTP/* }
  [[ "$line" =~ ^[0-9]{3} ]] && echo "${line:0:3}" || echo 000
}

# ---------------------------------------------------------------- processes and PID files

# proc_start_epoch PID -> when the process started (seconds since the epoch)
proc_start_epoch() {
  local stat rest ticks btime hz f
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  rest=${stat##*) }                    # fields after "(comm)"; comm may hold spaces
  read -r -a f <<<"$rest"
  ticks=${f[19]}                       # field 22 of stat = starttime in clock ticks since boot
  btime=$(awk '/^btime/ {print $2}' /proc/stat)
  hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
  echo $((btime + ticks / hz))
}

# alive PID: the process exists and is not a zombie (an exited child that init has not reaped
# yet: on this kind of machine PID 1 reaps orphans only every second or two)
alive() {
  local stat
  kill -0 "$1" 2>/dev/null || return 1
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ "${stat:0:1}" != Z ]]
}

# our_pid PIDFILE -> prints the PID if the file names a live process that we started.
# A PID is "ours" only if that process started no later than the PID file was written, so a
# recycled PID (a different, newer process) is never mistaken for ours.
our_pid() {
  local pidfile=$1 pid started written
  [[ -f "$pidfile" ]] || return 1
  pid=$(tr -dc '0-9' <"$pidfile")
  [[ -n "$pid" ]] && alive "$pid" || return 1
  started=$(proc_start_epoch "$pid") || return 1
  written=$(stat -c %Y "$pidfile")
  (( started <= written + 2 )) || return 1
  echo "$pid"
}

# start_daemon LOGFILE PIDFILE [VAR=value ...] COMMAND [ARGS...]
# Runs COMMAND detached (own session, stdin from /dev/null, stdout+stderr appended to LOGFILE),
# writes its PID to PIDFILE and prints it. The PID is also the process-group id, so the whole
# tree can be signalled. Lock descriptors of this script are not inherited.
start_daemon() {
  local logfile=$1 pidfile=$2 i; shift 2
  rm -f "$pidfile"
  (
    for fd in "${PARLEY_LOCK_FDS[@]}"; do eval "exec ${fd}>&-"; done
    exec </dev/null >>"$logfile" 2>&1
    # setsid forks when the caller runs with job control (set -m), so the final process writes
    # its own PID just before it becomes COMMAND.
    # shellcheck disable=SC2016 # expanded by the inner bash
    exec setsid bash -c 'echo $$ >"$0.tmp" && mv -f "$0.tmp" "$0" && exec env "$@"' "$pidfile" "$@"
  ) &
  for ((i = 0; i < 250; i++)); do            # normally a few ms; 5 s at most
    [[ -s "$pidfile" ]] && break
    sleep 0.02
  done
  [[ -s "$pidfile" ]] || { warn daemon "no PID written to $pidfile"; return 1; }
  tr -dc '0-9' <"$pidfile"
  echo
}

# stop_pid PART PIDFILE [WHAT]: SIGTERM the process we started, wait up to 20 s, then SIGKILL
# it and its process group. Never touches a process we did not start. Removes PIDFILE.
stop_pid() {
  local part=$1 pidfile=$2 what=${3:-process} pid t0 i
  if ! pid=$(our_pid "$pidfile"); then
    rm -f "$pidfile"
    return 1
  fi
  t0=$(now_ms)
  say "$part" "stopping $what (pid $pid) ..."
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do               # 100 x 0.2 s = 20 s
    alive "$pid" || break
    sleep 0.2
  done
  if alive "$pid"; then
    # the whole process group/session we created with setsid (e.g. kc.sh and its JVM)
    warn "$part" "pid $pid still running after 20 s: SIGKILL to its process group"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 25; i++)); do alive "$pid" || break; sleep 0.2; done
  fi
  rm -f "$pidfile"
  say "$part" "stopped ($(secs_since "$t0"))"
}

# wait_ready PART PID TIMEOUT_S CHECK_CMD...: poll CHECK_CMD every 0.25 s until it succeeds.
# Returns 0 when ready, 1 on timeout, 2 if PID (when not empty) exits meanwhile.
wait_ready() {
  local part=$1 pid=$2 timeout=$3; shift 3
  local deadline=$(( $(now_ms) + timeout * 1000 ))
  while :; do
    if "$@"; then return 0; fi
    if [[ -n "$pid" ]] && ! alive "$pid"; then
      "$@" && return 0                          # it may have finished and forked; check once more
      return 2
    fi
    (( $(now_ms) < deadline )) || return 1
    sleep 0.25
  done
}

# ---------------------------------------------------------------- locking

# take_lock PART LOCKFILE: serialise concurrent `stack.sh` runs on the same part (300 s max).
PARLEY_LOCK_FDS=()
take_lock() {
  local part=$1 lockfile=$2 fd
  mkdir -p "$(dirname "$lockfile")"
  exec {fd}>"$lockfile"
  PARLEY_LOCK_FDS+=("$fd")
  if ! flock -n "$fd"; then
    say "$part" "another stack.sh is working on this part; waiting for it ..."
    flock -w 300 "$fd" || { warn "$part" "could not get $lockfile within 300 s"; return 1; }
  fi
}

# with_lock LOCKFILE COMMAND...: run COMMAND holding LOCKFILE; for the shared downloads under
# tools/, which several instances (e.g. two Kafka brokers) may want at the same moment
with_lock() {
  local lockfile=$1 fd rc=0; shift
  mkdir -p "$(dirname "$lockfile")"
  exec {fd}>"$lockfile"
  if ! flock -w 600 "$fd"; then
    exec {fd}>&-
    warn stack "could not lock $lockfile within 600 s"
    return 1
  fi
  "$@" || rc=$?
  exec {fd}>&-
  return "$rc"
}

# ---------------------------------------------------------------- maven

# mvn_run PART LOGFILE ARGS...: run Maven quietly in batch mode; on failure show its output.
mvn_run() {
  local part=$1 logfile=$2; shift 2
  command -v mvn >/dev/null 2>&1 || { fail "$part" "" "mvn not found on PATH (needed to fetch artifacts from Maven Central)"; return 1; }
  mkdir -p "$(dirname "$logfile")"
  if ! mvn -B -q "$@" >"$logfile" 2>&1; then
    fail "$part" "$logfile" "mvn $*"
    return 1
  fi
}
