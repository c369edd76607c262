# Parley: the two commands are `make run` and `make test`. See README.md.
SHELL := /bin/bash
MVN ?= mvn -B

.PHONY: run test stop status build stack

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
