# What the README tells people to type. Every target installs what it needs first.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: run worker test check lint cassandra-up cassandra-down bench deps clean stripe-mock

run: deps
	$(BIN)/streamer run

# Transcodes what is uploaded; run it beside `make run` (one per core or two).
worker: deps
	$(BIN)/streamer db migrate
	$(BIN)/streamer worker

test: deps stripe-mock
	scripts/test

check: lint test

lint: deps
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: deps
	$(BIN)/python -m bench.delivery

cassandra-up: deps
	scripts/cassandra start
	scripts/cassandra wait

# Stripe API double for the billing tests, built from the Go module proxy into .cache/go/bin/.
stripe-mock:
	scripts/stripe-mock build

cassandra-down:
	scripts/cassandra stop

deps: system-deps $(VENV)/.installed node_modules/.installed

system-deps:
	@scripts/system-deps

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Browser libraries (tus-js-client, hls.js), served by the app from node_modules at /static/vendor/.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf $(VENV) node_modules .mypy_cache .ruff_cache .pytest_cache
