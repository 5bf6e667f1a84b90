# The two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install demo test test-postgres lint bench lock clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(VENV)/bin/newsdesk demo

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

# axe-core for the browser tests (they use Debian's chromium: apt-get install chromium).
tests/browser/node_modules: tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund

test: lint tests/browser/node_modules
	$(PY) -m pytest

# The same suite again on PostgreSQL 16 + pgvector (a throw-away server on loopback).
test-postgres: install tests/browser/node_modules
	NEWSDESK_TEST_DATABASE_URL="$$(scripts/start-test-postgres.sh)" $(PY) -m pytest

bench: install
	$(PY) bench/pipeline.py
	$(PY) bench/extraction.py
	$(PY) bench/poll.py
	$(PY) bench/site.py
	$(PY) bench/write.py
	$(PY) bench/verify.py speed
	$(PY) bench/cluster.py
	$(PY) bench/scale.py

# Refresh the pins after changing dependencies in pyproject.toml.
lock: install
	$(PY) -m pip freeze --exclude-editable --exclude newsdesk | sort > requirements.lock

clean:
	rm -rf $(VENV) data .mypy_cache .pytest_cache .ruff_cache
