#!/usr/bin/env bash
# The kernel's CPU per sent UDP datagram on this machine: the floor under the relay's (and Janus's)
# cost per forwarded packet, and whether batching the sends (sendmmsg) lowers it. 1,200-byte
# datagrams to 16 ports, over loopback and over a veth pair into a network namespace (the path
# vs-janus.sh uses), sent one sendto each, 16 per sendmmsg, and through the JDK's DatagramChannel
# as the relay sends. Needs root (a namespace) and a C compiler (installs gcc if missing); about a
# minute. `make bench-udp-floor`; bench/README.md. Writes bench/results/udp-floor-<date>.txt.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
here="$repo/bench/media-relay"
src="$here/udp-floor"
work="$here/target/udp-floor"
# shellcheck source=scripts/netns.sh
source "$here/scripts/netns.sh"
NS=parley-udp-floor; HOST_IF=puf-host; NS_IF=puf-ns; HOST_ADDR=10.213.2.1; NS_ADDR=10.213.2.2
PORT=31000; PORTS=16; COUNT=${UDP_FLOOR_COUNT:-1000000}

[ "$(id -u)" = 0 ] || { echo "udp-floor.sh: needs root (ip netns)"; exit 2; }
command -v gcc >/dev/null || { apt-get update -q && apt-get install -y gcc libc6-dev; }
mkdir -p "$work" "$repo/bench/results"
gcc -O2 -Wall -o "$work/send" "$src/send.c"
gcc -O2 -Wall -o "$work/recv" "$src/recv.c"

receiver=
cleanup() {
  [ -n "$receiver" ] && kill "$receiver" 2>/dev/null
  ns_down "$NS" "$HOST_IF"
}
trap cleanup EXIT

out="$repo/bench/results/udp-floor-$(date -u +%F).txt"
{
  echo "[udp-floor] $(date -u +%FT%TZ) $(nproc) CPUs ($(lscpu | sed -n 's/^Model name: *//p')), kernel $(uname -r)," \
    "$(java -version 2>&1 | head -1); $COUNT datagrams of 1,200 bytes per line, to $PORTS ports"
  ns_up "$NS" "$HOST_IF" "$NS_IF" "$HOST_ADDR" "$NS_ADDR"
  for path in loopback veth; do
    if [ "$path" = loopback ]; then
      addr=127.0.0.1; "$work/recv" "$addr" "$PORT" "$PORTS" & receiver=$!
    else
      addr=$NS_ADDR; ip netns exec "$NS" "$work/recv" "$addr" "$PORT" "$PORTS" & receiver=$!
    fi
    sleep 0.3
    echo "[udp-floor] == $path ($addr)"
    "$work/send" "$addr" "$PORT" "$PORTS" "$COUNT" 1 | sed 's/^/[udp-floor] /'
    "$work/send" "$addr" "$PORT" "$PORTS" "$COUNT" 16 | sed 's/^/[udp-floor] /'
    java "$src/JavaSend.java" "$addr" "$PORT" "$PORTS" "$COUNT" | sed 's/^/[udp-floor] /'
    kill "$receiver"; wait "$receiver" 2>/dev/null || true; receiver=
  done
} | tee "$out"
echo "[udp-floor] written to $out"
