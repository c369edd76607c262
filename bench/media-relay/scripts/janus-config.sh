#!/usr/bin/env bash
# Writes a lean Janus configuration for the benchmark into DIR: the core, the VideoRoom plugin
# and the HTTP REST transport bound to ADDR only; every other plugin, transport, logger and event
# handler disabled; ICE gathering only on interface IFACE, no IPv6, no mDNS. Sourced by vs-janus.sh.

# janus_config DIR ADDR IFACE PORT
janus_config() {
  local dir=$1 addr=$2 iface=$3 port=$4
  local lib=/usr/lib/x86_64-linux-gnu/janus
  [ -d "$lib" ] || lib=$(dirname "$(dpkg -L janus | grep -m1 '/janus/plugins/libjanus_videoroom.so$')")/..
  local plugins transports
  plugins=$(cd "$lib/plugins" && ls libjanus_*.so | grep -v '^libjanus_videoroom.so$' | paste -sd, -)
  transports=$(cd "$lib/transports" && ls libjanus_*.so | grep -v '^libjanus_http.so$' | paste -sd, -)
  mkdir -p "$dir"
  cat > "$dir/janus.jcfg" <<JCFG
general: {
	configs_folder = "$dir"
	plugins_folder = "$lib/plugins"
	transports_folder = "$lib/transports"
	events_folder = "$lib/events"
	loggers_folder = "$lib/loggers"
	debug_level = 3
	session_timeout = 60
	server_name = "parley-bench-janus"
}
certificates: {
}
media: {
	ipv6 = false
	rtp_port_range = "30000-39999"
}
nat: {
	ice_enforce_list = "$iface"
	ignore_mdns = true
	nice_debug = false
	full_trickle = false
}
plugins: {
	disable = "$plugins"
}
transports: {
	disable = "$transports"
}
loggers: {
	disable = "libjanus_jsonlog.so"
}
events: {
	broadcast = false
}
JCFG
  cat > "$dir/janus.transport.http.jcfg" <<JCFG
general: {
	json = "compact"
	base_path = "/janus"
	http = true
	port = $port
	ip = "$addr"
	https = false
}
admin: {
	admin_http = false
	admin_https = false
}
cors: {
}
JCFG
  cat > "$dir/janus.plugin.videoroom.jcfg" <<JCFG
general: {
	string_ids = false
}
JCFG
}
