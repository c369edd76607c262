# Parley: the two commands are `make run` and `make test`. See README.md.
SHELL := /bin/bash
MVN ?= mvn -B

.PHONY: run test stop status build stack bench bench-presence bench-key-distribution bench-media-relay bench-media-relay-vs-janus bench-udp-floor bench-forwarding bench-web-app

## run: start Kafka, Redis, Keycloak and the four services; print the URLs; Ctrl-C stops all
run:
	@dev/run.sh

## test: start what the tests need (reusing what runs), then run every test
test: stack
	$(MVN) install

## stop: stop the services and the stack parts these scripts started
stop:
	@dev/services.sh down
	@dev/stack.sh down

## status: what is running
status:
	@dev/stack.sh status || true
	@dev/services.sh status

## build: package the services without running tests
build:
	$(MVN) -DskipTests install

stack:
	@dev/stack.sh up

## bench: the benchmarks (bench/README.md), on this machine: signaling (3 replicas, about 7 minutes;
## bench/results/signaling-<date>.txt), then presence (2 replicas, about 7 minutes; bench/results/presence-<date>.txt),
## then key distribution (1 replica, a second for one figure, about 3 minutes; bench/results/key-distribution-<date>.txt),
## then the media relay (1 relay, load clients over 127.0.0.1, about 6 minutes; bench/results/media-relay-<date>.txt),
## then the relay against Janus (root: network namespaces; about 10 minutes; bench/results/media-relay-<date>-vs-janus.txt).
## Options: make bench BENCH_ARGS='--phases=fanout' PRESENCE_BENCH_ARGS='--phases=fanout,memory'
##          KEY_DISTRIBUTION_BENCH_ARGS='--phases=leave --leave-rounds=50' MEDIA_RELAY_BENCH_ARGS='--rooms=1,8'
BENCH_ARGS ?=
PRESENCE_BENCH_ARGS ?=
KEY_DISTRIBUTION_BENCH_ARGS ?=
MEDIA_RELAY_BENCH_ARGS ?=
BENCH_JAVA_OPTS ?= -Xmx2g
bench: stack
	$(MVN) -q -Pbench -DskipTests install
	@ulimit -n 1048576 2>/dev/null || ulimit -n "$$(ulimit -Hn)"; \
	  echo "[bench] open-file limit for the bench and its replicas: $$(ulimit -n)"; \
	  java $(BENCH_JAVA_OPTS) -jar bench/signaling/target/parley-bench-signaling.jar $(BENCH_ARGS)
	java $(BENCH_JAVA_OPTS) -jar bench/presence/target/parley-bench-presence.jar $(PRESENCE_BENCH_ARGS)
	java $(BENCH_JAVA_OPTS) -jar bench/key-distribution/target/parley-bench-key-distribution.jar $(KEY_DISTRIBUTION_BENCH_ARGS)
	java $(BENCH_JAVA_OPTS) -jar bench/media-relay/target/parley-bench-media-relay.jar $(MEDIA_RELAY_BENCH_ARGS)
	BENCH_JAVA_OPTS='$(BENCH_JAVA_OPTS)' bench/media-relay/vs-janus.sh $(VS_JANUS_BENCH_ARGS)

## bench-presence: only the presence benchmark
bench-presence: stack
	$(MVN) -q -Pbench -DskipTests install
	java $(BENCH_JAVA_OPTS) -jar bench/presence/target/parley-bench-presence.jar $(PRESENCE_BENCH_ARGS)

## bench-key-distribution: only the key-distribution benchmark
bench-key-distribution: stack
	$(MVN) -q -Pbench -DskipTests install
	java $(BENCH_JAVA_OPTS) -jar bench/key-distribution/target/parley-bench-key-distribution.jar $(KEY_DISTRIBUTION_BENCH_ARGS)

## bench-media-relay: only the media relay benchmark (1 relay, load clients over 127.0.0.1; bench/results/media-relay-<date>.txt)
##   make bench-media-relay MEDIA_RELAY_BENCH_ARGS='--rooms=1,2 --measure-seconds=10'
bench-media-relay: stack
	$(MVN) -q -Pbench -DskipTests install
	java $(BENCH_JAVA_OPTS) -jar bench/media-relay/target/parley-bench-media-relay.jar $(MEDIA_RELAY_BENCH_ARGS)

## bench-media-relay-vs-janus: the same ramp through Parley's relay and through Janus (Debian janus, VideoRoom),
##   each in a network namespace of its own (needs root; installs janus and socat if missing); streams per
##   core under 1% loss, added latency, RSS per stream, and the ratio Parley/Janus
##   (bench/results/media-relay-<date>-vs-janus.txt). make bench-media-relay-vs-janus VS_JANUS_BENCH_ARGS='--rooms=1,2'
VS_JANUS_BENCH_ARGS ?=
bench-media-relay-vs-janus: stack
	$(MVN) -q -Pbench -DskipTests install
	BENCH_JAVA_OPTS='$(BENCH_JAVA_OPTS)' bench/media-relay/vs-janus.sh $(VS_JANUS_BENCH_ARGS)

## bench-udp-floor: the kernel's CPU per sent UDP datagram (sendto, sendmmsg, the JDK) over loopback and a veth
##   pair: the floor under any SFU's cost per forwarded packet (needs root and gcc; about a minute;
##   bench/results/udp-floor-<date>.txt)
bench-udp-floor:
	bench/media-relay/udp-floor.sh

## bench-forwarding: the relay's forwarding path as a JMH microbenchmark (no stack needed, about 2 minutes):
##   time and allocation per publisher packet forwarded to 3 and 10 subscribers (docs/benchmarks.md)
##   make bench-forwarding FORWARDING_BENCH_ARGS='-p subscribers=10 -prof gc'
FORWARDING_BENCH_ARGS ?= -prof gc
bench-forwarding:
	$(MVN) -q -Pbench -DskipTests install -pl bench/forwarding -am
	java -jar bench/forwarding/target/parley-bench-forwarding.jar $(FORWARDING_BENCH_ARGS)

## bench-web-app: the web app's join latency against a running Parley (start it with make run first):
##   open an invite link → first decoded remote frame, over WEB_APP_BENCH_RUNS runs (10)
WEB_APP_BENCH_RUNS ?= 10
bench-web-app:
	cd tests/system/src/test/browser && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund; } && \
	  node bench-join.mjs --runs=$(WEB_APP_BENCH_RUNS)
