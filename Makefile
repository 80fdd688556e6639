# Twoway — the two commands of the quick start are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: install demo serve test lint lock clean

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

install: $(VENV)/.installed

## make demo: set up, build the demo organisation on SQLite, print the logins, serve on $(HOST)
## (with the background task worker beside the server)
demo: install
	$(VENV)/bin/twoway manage migrate --noinput
	$(VENV)/bin/twoway demo --address $(HOST)
	@# The task worker runs imports in the background; it stops with the server.
	$(VENV)/bin/twoway worker & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	  $(VENV)/bin/twoway serve $(HOST)

## make test: ruff, mypy, migrations check, the suite on SQLite (+ PostgreSQL when
## TEST_DATABASE_URL is set), browser tests when Chromium is present
test: install
	PY=$(PY) scripts/test

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy twoway

## make lock: refresh requirements.lock after changing dependencies in pyproject.toml
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet --upgrade pip && .lockenv/bin/pip install --quiet -e '.[dev]'
	.lockenv/bin/pip freeze --exclude-editable | grep -v '^twoway' > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
