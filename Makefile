# The two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.installed-runtime

.PHONY: run serve worker port-free test test-browser lint format schema bench mutation

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# `make serve` installs what the app needs to run, without the test and lint tools.
$(RUNTIME_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME_STAMP)

# `make run PORT=8001` serves on another port; the demo links then point at it too.
PORT ?= 8000
run: export PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
run: port-free $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_questionnaires
	$(BIN)/python manage.py create_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Says so, and how to pick another, when PORT is taken (checked before anything is installed).
port-free:
	@$(PYTHON) -c "$$PORT_FREE" "$(PORT)"

define PORT_FREE
import socket, sys
port = sys.argv[1]
if not port.isdigit() or not 0 < int(port) < 65536:
    sys.exit(f"PORT must be a port number, not {port!r}; for example: make run PORT=8001")
with socket.socket() as probe:
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind(("127.0.0.1", int(port)))
    except OSError:
        sys.exit(
            f"Port {port} is taken: another `make run`, or another program, listens on it."
            f"\nPick another: make run PORT={int(port) + 1}"
        )
endef
export PORT_FREE

# Both passes run in processes of their own (pytest-xdist), each with its own test database:
# TEST_WORKERS for the tests without a browser, BROWSER_WORKERS for the browser tests (each
# worker also has its own live server on a free port and its own Chromium). Tests that share
# something outside the process carry an xdist_group and run on one worker (--dist loadgroup).
# 0 runs a pass in one process.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n > 4 ? 4 : n )))
BROWSER_WORKERS ?= $(TEST_WORKERS)

test: $(STAMP)
	$(BIN)/python -m pytest -m "not browser" -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)
	@if [ -x /usr/bin/chromium ]; then $(MAKE) --no-print-directory test-browser; \
	else echo "Browser tests skipped: install Debian's chromium (see README, Tests)."; fi

test-browser: $(STAMP)
	$(BIN)/python -m pytest -m browser -n $(BROWSER_WORKERS) --dist loadgroup tests/browser $(PYTEST_ARGS)

# gunicorn, and a task worker beside it when REDIS_URL is set; Ctrl-C stops both (serve.py).
serve: $(RUNTIME_STAMP)
	$(BIN)/python manage.py collectstatic --no-input -v0
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_questionnaires
	$(BIN)/python serve.py

# A task worker alone (it needs REDIS_URL), e.g. on a machine of its own.
worker: $(RUNTIME_STAMP)
	$(BIN)/python serve.py worker

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

schema: $(STAMP)
	$(BIN)/python manage.py questionnaire_schema

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Mutation testing of the questionnaire engine (see README, Mutation testing, and docs/mutation.md).
# Starts afresh (cached verdicts go stale when tests change), stops after MUTATION_BUDGET seconds,
# then prints the score per file; KEEP=1 carries on from the last run's results instead.
MUTATION_BUDGET ?= 1800
MUTATION_JOBS ?= 2
mutation: $(STAMP)
	@if [ -z "$(KEEP)" ]; then rm -rf mutants; fi
	@timeout -s INT $(MUTATION_BUDGET) $(BIN)/mutmut run --max-children $(MUTATION_JOBS); \
	status=$$?; \
	if [ $$status -eq 124 ]; then \
		echo "Stopped after $(MUTATION_BUDGET)s; 'make mutation KEEP=1' carries on."; \
	elif [ $$status -ne 0 ]; then exit $$status; fi
	@$(BIN)/python tests/mutation_score.py
