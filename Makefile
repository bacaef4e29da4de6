# The two set-up commands of the README:
#   make demo   installs, builds the demo warehouse from the embedded default data, starts the observatory
#   make test   installs and runs the fast lane of the tests (pytest -m "not slow")
# and: make test-all (every test, what CI runs), make lint (ruff on the Python, sqlfluff on sql/)
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: install demo test test-all lint

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/observatoire demo
	@if [ -f observatory_app/app.py ]; then $(BIN)/observatoire app; else echo "Interface Dagster : $(BIN)/observatoire ui"; fi

test: install
	$(BIN)/pytest -m "not slow"

test-all: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/sqlfluff lint sql
