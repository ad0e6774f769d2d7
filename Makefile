# Two commands for a newcomer: `make demo` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup demo test lint typecheck unit openapi client bench bench-quick bench-compare bench-instructions bench-deps clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/tongban demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check --no-cache gateway adapters schemas sandbox tests

typecheck: setup
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest -q

openapi: setup
	$(BIN)/tongban openapi export

# The TypeScript client: src/schema.d.ts from openapi/openapi.json, then dist/ (needs Node 20+).
CLIENT := openapi/clients/typescript
client: openapi
	cd $(CLIENT) && { [ -d node_modules ] || npm ci --no-audit --no-fund --prefer-offline; } \
		&& npm run generate && npm run build

# Benchmarks (README, "Benchmarks"): nginx, wrk and valgrind from apt, py-spy from PyPI; results in
# bench/results/ (results.json, results.md, profile.txt). About 9 minutes; bench-quick ~2.
bench-deps: setup
	@command -v wrk >/dev/null && command -v valgrind >/dev/null \
		&& { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; } \
		|| { apt-get update -qq && apt-get install -y -qq nginx-light wrk valgrind; }
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,bench]'

bench: bench-deps
	$(BIN)/python -m bench.run

# The query path of BASE (a git revision) and of the working tree, in turns: make bench-compare BASE=main
bench-compare: bench-deps
	$(BIN)/python -m bench.compare $(BASE)

# Instructions per query (valgrind) of BASE and of the working tree: does not drift with the
# machine, unlike bench-compare's times. make bench-instructions BASE=main (~10 minutes)
bench-instructions: bench-deps
	$(BIN)/python -m bench.instructions $(BASE)

bench-quick: bench-deps
	$(BIN)/python -m bench.run --quick --out /tmp/tongban-bench-results

clean:
	rm -rf $(VENV) var/*.db var/*.db-* .mypy_cache .ruff_cache .pytest_cache
