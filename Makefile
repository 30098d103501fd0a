# cio-analytics: one environment (.venv), created on first use from pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PERIOD ?=

.DEFAULT_GOAL := help
.PHONY: help venv test test-fast fuzz lint format test-browser reports bench lab clean explore

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "cio-analytics needs Python 3.11 or newer; found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (cio-analytics)" >/dev/null
	@touch $(STAMP)

venv: $(STAMP) ## create .venv and install the package (editable) with test tools

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check cio_analytics tests benchmarks
	$(BIN)/ruff format --check cio_analytics tests benchmarks

format: $(STAMP) ## apply ruff formatting and safe fixes
	$(BIN)/ruff check --fix cio_analytics tests benchmarks
	$(BIN)/ruff format cio_analytics tests benchmarks

# The suite runs on every core (pytest-xdist); a file's tests stay on one worker so that a
# module's notebook run is not repeated. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: lint ## the whole suite: lint, unit, property, doctests, notebooks
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

test-fast: lint ## the suite without the tests marked slow (over 5 s: notebooks, packs, big runs)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile -m "not slow"

# make fuzz: hypothesis' own marker selects its tests; the `fuzz` profile (tests/conftest.py)
# draws 20x each test's examples from --hypothesis-seed. Logs go to test-artifacts/fuzz/.
# Narrow it with e.g. `make fuzz FUZZ_SEEDS="7" FUZZ_PATHS=tests/test_valuation_tvm.py`.
FUZZ_SEEDS ?= 1 2 3 4 5 6 7 8 9 10
FUZZ_PATHS ?= tests
FUZZ_LOGS  := test-artifacts/fuzz

fuzz: $(STAMP) ## every hypothesis test, 20x its examples, per seed in FUZZ_SEEDS; lists the failing cases
	@mkdir -p $(FUZZ_LOGS); failed=0; \
	for seed in $(FUZZ_SEEDS); do \
	  log=$(FUZZ_LOGS)/seed-$$seed.log; \
	  printf 'make fuzz: seed %s ... ' "$$seed"; \
	  if $(BIN)/python -m pytest -q -p no:cacheprovider -m hypothesis --tb=short \
	      --hypothesis-profile=fuzz --hypothesis-seed=$$seed $(FUZZ_PATHS) >$$log 2>&1; \
	  then echo passed; \
	  else failed=1; echo "FAILED (full log: $$log)"; \
	    awk '/^_+ .+ _+$$/{print "  " $$0} \
	         /(Falsifying example|Failing test case):/{show=1} show{print "    " $$0} \
	         show && /^E +\)$$/{show=0} /reproduce_failure/{print "    " $$0}' $$log; \
	    tail -n 1 $$log; \
	  fi; \
	done; exit $$failed

test-browser: $(STAMP) ## only the headless-Chromium checks of the report pack
	$(BIN)/python -m pytest -q -m browser tests

# make reports: the latest quarter of the data (or PERIOD=2026Q3); the quarter before it is
# built first, without PDFs, when the history lacks it, so the index shows what changed.
reports: $(STAMP) ## build the quarterly report pack from the sample data (and the quarter before, once) and print its index page
	@$(BIN)/cio-analytics run quarterly --previous $(if $(PERIOD),--period $(PERIOD),)

# make explore: the three what-if explorers (notebooks/explore_*.ipynb) served by Voila with the
# code hidden, on 127.0.0.1 only. Ctrl-C stops the server. EXPLORE_PORT=8900 make explore.
EXPLORE_PORT ?= 8866
EXPLORE_NOTEBOOKS := explore_investment explore_staffing explore_risk
explore: $(STAMP) ## serve the what-if explorers with Voila on localhost and print their URLs
	@for nb in $(EXPLORE_NOTEBOOKS); do \
	  echo "  http://127.0.0.1:$(EXPLORE_PORT)/voila/render/$$nb.ipynb"; done
	@echo "  (Ctrl-C stops the server)"
	$(BIN)/voila notebooks --no-browser --port=$(EXPLORE_PORT) --Voila.ip=127.0.0.1 \
	  --strip_sources=True --theme=light

# The peers (monaco pins an old psutil) get their own environment so they never touch .venv.
BENCH := .venv-bench
$(BENCH)/.installed: pyproject.toml
	test -x $(BENCH)/bin/python || $(PYTHON) -m venv $(BENCH)
	$(BENCH)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH)/bin/python -m pip install --quiet -e ".[test,bench]"
	@touch $@

bench: $(BENCH)/.installed ## run benchmarks/ against the peer libraries (the bench extra, in .venv-bench)
	$(BENCH)/bin/python benchmarks/run.py $(BENCH_ARGS)

LAB_PORT ?= 8888
LAB_ARGS ?=
lab: $(STAMP) ## serve JupyterLab on localhost:LAB_PORT (default 8888) and print its URL; LAB_ARGS: more options
	@token=$$($(BIN)/python -c 'import secrets; print(secrets.token_hex(16))'); \
	echo "JupyterLab: http://localhost:$(LAB_PORT)/lab?token=$$token  (Ctrl-C to stop)"; \
	JUPYTER_TOKEN=$$token exec $(BIN)/jupyter lab notebooks --no-browser --ip=localhost \
		--port=$(LAB_PORT) --ServerApp.port_retries=0 $(LAB_ARGS)

clean: ## remove the environment and caches (reports/ is kept)
	rm -rf $(VENV) $(BENCH) .pytest_cache .ruff_cache .hypothesis build *.egg-info
