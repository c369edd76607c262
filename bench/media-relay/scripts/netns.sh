#!/usr/bin/env bash
# Network namespaces for the media relay versus Janus benchmark (bench/README.md): each SFU runs
# in a namespace of its own, reached from the load clients over a veth pair, so no media leaves
# the machine and neither SFU sees loopback. Sourced by vs-janus.sh; functions only.

# ns_up NAME HOST_IF NS_IF HOST_ADDR NS_ADDR: a namespace and a veth pair, /30 between them.
ns_up() {
  local name=$1 host_if=$2 ns_if=$3 host_addr=$4 ns_addr=$5
  ip netns add "$name"
  ip link add "$host_if" type veth peer name "$ns_if"
  ip link set "$ns_if" netns "$name"
  ip addr add "$host_addr/30" dev "$host_if"
  ip link set "$host_if" up
  ip netns exec "$name" ip addr add "$ns_addr/30" dev "$ns_if"
  ip netns exec "$name" ip link set "$ns_if" up
  ip netns exec "$name" ip link set lo up
  # the same UDP buffers as the host: the sysctl is per namespace
  ip netns exec "$name" sysctl -q -w net.core.rmem_max="$(sysctl -n net.core.rmem_max)" \
    net.core.wmem_max="$(sysctl -n net.core.wmem_max)" 2>/dev/null || true
}

# ns_down NAME HOST_IF: removes both (deleting one end of a veth pair deletes the other).
ns_down() {
  ip link del "$2" 2>/dev/null || true
  ip netns del "$1" 2>/dev/null || true
}
