# What the README tells people to type. Every target installs what it needs first.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: run test check lint cassandra-up cassandra-down bench deps clean stripe-mock

run: deps
	$(BIN)/streamer db migrate
	$(BIN)/streamer serve

test: deps stripe-mock
	scripts/test

check: lint test

lint: deps
	$(BIN)/ruff check .
	$(BIN)/mypy

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

# Browser libraries (hls.js) come from npm and are served from node_modules; never committed.
node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
