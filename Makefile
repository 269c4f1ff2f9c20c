# coopkit — the two commands: `make run` and `make test`. Everything else is set-up they share.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PLUGINS := $(wildcard plugins/*/pyproject.toml)
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for `make test`: one per core by default (TEST_WORKERS=0 runs in one process).
TEST_WORKERS ?= auto

.PHONY: install run test lint catalogs messages clean bench oracle oracle-deps

install: $(STAMP) catalogs

# Re-install when a pyproject changes; otherwise `make install` costs nothing.
$(STAMP): pyproject.toml $(PLUGINS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' $(foreach p,$(PLUGINS),-e $(dir $(p)))
	touch $@

# coopkit's catalog, then each country plugin's own (plugins/*/coopkit_*/locale).
PLUGIN_CATALOGS := $(wildcard plugins/*/coopkit_*/locale)

catalogs: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d coopkit/locale -D messages
	for dir in $(PLUGIN_CATALOGS); do \
		$(BIN)/pybabel compile --use-fuzzy -d $$dir -D messages || exit 1; done

# Re-extract messages after changing a page or a message, then translate the .po files.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --sort-by-file --no-location \
		--project coopkit --copyright-holder "coopkit contributors" \
		-o coopkit/locale/messages.pot coopkit
	$(BIN)/pybabel update -i coopkit/locale/messages.pot -d coopkit/locale -D messages --no-wrap --ignore-obsolete
	for dir in $(PLUGIN_CATALOGS); do \
		$(BIN)/pybabel extract -F babel.cfg --sort-by-file --no-location \
			--project coopkit --copyright-holder "coopkit contributors" \
			-o $$dir/messages.pot $$(dirname $$dir) || exit 1; \
		$(BIN)/pybabel update -i $$dir/messages.pot -d $$dir -D messages --no-wrap \
			--ignore-obsolete || exit 1; done

run: install
	$(BIN)/coopkit db upgrade
	$(BIN)/coopkit demo --if-new
	$(BIN)/coopkit serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check coopkit plugins tests bench
	$(BIN)/ruff format --check coopkit plugins tests bench
	$(BIN)/mypy coopkit plugins/*/coopkit_*

# The independent references (openfisca-france) are big: installed only for these two.
oracle-deps: install
	$(BIN)/python -m pip install --quiet -e '.[oracle]'

oracle: oracle-deps
	$(BIN)/python -m pytest -m oracle $(PYTEST_ARGS)

bench: oracle-deps
	$(BIN)/python -m bench
	$(BIN)/python -m bench.ledger
	$(BIN)/python -m bench.guarantee
	$(BIN)/python -m bench.governance

clean:
	rm -rf $(VENV) coopkit.sqlite3 .coopkit
