# The two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install demo test test-postgres lint bench lock clean browser-tools

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

# The browser tests drive Debian's chromium (never a downloaded browser) and load axe-core
# from npm. As root the two Debian packages are installed when missing; otherwise the target
# stops with the one command to run.
browser-tools:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing Debian packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else \
			echo "The browser tests need:$$missing. Run: sudo apt-get install$$missing" >&2; exit 1; \
		fi; \
	fi

tests/browser/node_modules: tests/browser/package-lock.json | browser-tools
	cd tests/browser && npm ci --no-audit --no-fund

test: lint browser-tools tests/browser/node_modules
	$(PY) -m pytest

# The same suite again on PostgreSQL 16 + pgvector (a throw-away server on loopback).
test-postgres: install browser-tools tests/browser/node_modules
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
