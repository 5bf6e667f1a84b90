# The two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev

.PHONY: install install-runtime demo test test-postgres lint bench lock clean browser-tools

# Pinned, hash-checked installs: requirements/runtime.txt (what the product runs on, the
# PostgreSQL extra included) and requirements/dev.txt (that plus the test and lint tools).
# The lock files are complete (uv resolved every dependency), so pip installs exactly them
# (--no-deps: pip would otherwise ask for a pin of each extra, e.g. lxml[html_clean]) and
# `pip check` confirms they fit together. The package itself is installed after them
# without dependencies or build isolation, so nothing unpinned is fetched.
$(RUNTIME): pyproject.toml requirements/runtime.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements/runtime.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	touch $(RUNTIME)

$(DEV): pyproject.toml requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements/dev.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	touch $(DEV) $(RUNTIME)

install-runtime: $(RUNTIME)
install: $(DEV)

demo: install-runtime
	$(VENV)/bin/newsdesk demo

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

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
	$(PY) bench/cli.py
	$(PY) bench/poll.py
	$(PY) bench/site.py
	$(PY) bench/write.py
	$(PY) bench/verify.py speed
	$(PY) bench/cluster.py
	$(PY) bench/scale.py

# Refresh the pins after changing dependencies in pyproject.toml (kept versions stay; add
# --upgrade to the two commands to move them). uv only resolves; pip installs.
UV_COMPILE := $(VENV)/bin/uv pip compile pyproject.toml requirements/build.in --universal \
	--python-version 3.11 --generate-hashes --no-annotate --no-header -q
lock: install
	$(PY) -m pip install --quiet uv
	$(UV_COMPILE) --extra postgres -o requirements/runtime.txt
	$(UV_COMPILE) --extra dev -c requirements/runtime.txt -o requirements/dev.txt

clean:
	rm -rf $(VENV) data .mypy_cache .pytest_cache .ruff_cache
