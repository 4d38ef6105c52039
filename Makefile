# haofuwu — the two commands that matter are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
PYTEST_ARGS ?= -n 2
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test test-sqlite test-postgres lint format bench bench-api bench-standard bench-energy bench-spreadsheets install messages clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/haofuwu demo

test: test-sqlite test-postgres

test-sqlite: $(STAMP)
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

# Runs the whole suite again on PostgreSQL when one answers; with REQUIRE_POSTGRES=1 a missing server fails.
test-postgres: $(STAMP)
	@if $(BIN)/python -c "import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$(TEST_DATABASE_URL)" 2>/dev/null; then \
		echo "== test suite on PostgreSQL =="; \
		DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest $(PYTEST_ARGS); \
	elif [ "$(REQUIRE_POSTGRES)" = "1" ]; then \
		echo "REQUIRE_POSTGRES=1 but PostgreSQL is not reachable at $(TEST_DATABASE_URL)" >&2; exit 1; \
	else \
		echo "PostgreSQL not reachable at $(TEST_DATABASE_URL): skipped the PostgreSQL run"; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy haofuwu/core haofuwu/accounts haofuwu/estates haofuwu/workorders haofuwu/feedback haofuwu/energy haofuwu/community haofuwu/standard
	$(BIN)/lint-imports
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# All three benchmarks (each prints a table and writes benchmarks/results/*.json); or one of them.
bench: bench-api bench-standard bench-energy

bench-api: $(STAMP)
	$(BIN)/python -m benchmarks

bench-standard: $(STAMP)
	$(BIN)/python -m benchmarks.standard

bench-energy: $(STAMP)
	$(BIN)/python -m benchmarks.energy

# Reading spreadsheets: the streaming reader against openpyxl, on an ordinary import and on crafted workbooks.
bench-spreadsheets: $(STAMP)
	$(BIN)/python -m benchmarks.spreadsheets

# Needs GNU gettext (apt-get install gettext); the compiled catalogues are committed so nobody else needs it.
# The newer apps keep their own catalogue in <app>/locale, so that work on one app never touches another's.
APP_CATALOGUES := feedback energy standard community
messages: $(STAMP)
	cd haofuwu && HAOFUWU_DATA_DIR=../var ../$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete \
		$(foreach app,$(APP_CATALOGUES),--ignore=$(app)/*) --settings=haofuwu.settings
	for app in $(APP_CATALOGUES); do \
		(cd haofuwu/$$app && HAOFUWU_DATA_DIR=../../var ../../$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete \
			--settings=haofuwu.settings) || exit 1; \
	done
	cd haofuwu && HAOFUWU_DATA_DIR=../var ../$(BIN)/django-admin compilemessages -l zh_Hans --settings=haofuwu.settings

clean:
	rm -rf $(VENV) var build *.egg-info
