# Reproducible compendium: Tamabayeva, Abildina, Zhekibayeva (2025), doi:10.48371/PEDS.2025.78.3.005
#
# The two commands: `make reproduce` (the whole analysis) and `make test` (every test).
# Everything else is set up on first use: .venv from requirements.lock, the package `analysis`
# in editable mode, and the project kernel. Each notebook is a step of a dependency graph declared
# once, in src/analysis/pipeline/steps.yml; its make rules are generated from there into
# .make/steps.mk. A step re-runs when its notebook, the files it reads or the code it uses change.

.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

PYTHON_BOOT ?= $(shell command -v python3.11 || command -v python3)
VENV        := .venv
PY          := $(VENV)/bin/python
UV          := $(VENV)/bin/uv
UV_VERSION  := $(shell sed -n 's/^uv==\([^ ]*\).*/\1/p' requirements.lock)
# The project kernel's name, defined once in src/analysis/paths.py.
KERNEL      := $(shell sed -n 's/^KERNEL_NAME: str = "\(.*\)"/\1/p' src/analysis/paths.py)
# The stamp of a finished set-up (its name changes when the set-up does, so that an older .venv
# is brought up to date: the current one also compiles the packages to bytecode).
INSTALLED   := $(VENV)/.installed-with-bytecode
STAMPS      := .make
PIPELINE    := src/analysis/pipeline
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
# The runner's kernels: warm (forked from a template that has already imported the heavy modules),
# plain (a new Python per notebook) or auto (warm where fork is safe, i.e. Linux; see the README).
KERNELS     ?= auto
export KERNELS

.PHONY: help reproduce test test-fast lint lab clean distclean venv lock rehash register-year bench

help: ## Show this help (the default goal)
	@echo "Usage: make <target>   (first use creates .venv from requirements.lock)"
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-13s\033[0m %s\n", $$1, $$2}'

# The step rules, generated from the declaration (not for help and clean, which need no Python).
ifneq ($(filter-out help clean distclean,$(or $(MAKECMDGOALS),help)),)
include $(STAMPS)/steps.mk
endif
$(STAMPS)/steps.mk: $(PIPELINE)/steps.yml $(PIPELINE)/__init__.py $(PIPELINE)/generate.py $(INSTALLED)
	@mkdir -p $(STAMPS)
	@$(PY) -m analysis.pipeline.generate makefile $@ && touch $@
STEPS := $(addprefix $(STAMPS)/,$(STEP_NAMES))

# One process runs every layer of the graph (analysis.pipeline.batch), $(JOBS) notebooks at a
# time; before each layer it asks make (QUEUE mode, below) which of that layer's steps are stale,
# so make's graph decides, after the layer before has run. With nothing stale, no Python starts.
# (Not `make -q`: it cannot see that a re-run step left its outputs untouched.)
reproduce: $(INSTALLED) ## Run the whole analysis (skips unchanged steps); YEAR=2024: another year; KERNELS=plain: ordinary kernels
ifneq ($(strip $(YEAR)),)
	$(PY) -m analysis.pipeline.years run $(YEAR) --jobs $(JOBS) $(if $(VERBOSE),--verbose)
else
	@queue=$$(mktemp); trap 'rm -f "$$queue"' EXIT; \
	$(MAKE) --no-print-directory QUEUE="$$queue" $(STEPS) >/dev/null; \
	if [ -s "$$queue" ]; then \
		$(PY) -m analysis.pipeline.batch --graph --jobs $(JOBS) --stamps $(STAMPS) --make "$(MAKE)" $(if $(VERBOSE),--verbose); fi
	@$(MAKE) --no-print-directory $(STAMPS)/manifest
	@echo "==> reproduce: all $(words $(STEP_NAMES)) notebook(s) up to date"
endif

# results/manifest.csv (with results/datapackage.json and the README's table of notebooks) is
# rewritten only when it changes, so a stamp records that it is current.
$(STAMPS)/manifest: $(STEPS) $(PIPELINE)/steps.yml
	$(PY) -m analysis.pipeline.manifest
	@touch $@

PYTEST := $(PY) -m pytest -p no:cacheprovider
test: $(INSTALLED) lint ## Run every test: lint, unit, data, integration (notebook runs, nbval on a copy)
	$(PYTEST) -n 2 --dist loadfile --no-loadscope-reorder tests

test-fast: $(INSTALLED) ## Run the unit tests only (no kernels; before every commit)
	$(PYTEST) -q -p no:nbval -p no:xdist tests/unit

lint: $(INSTALLED) ## ruff (pyflakes, bugbear, isort, pyupgrade) over src, tests and tools
	$(VENV)/bin/ruff check src tests tools

lab: $(INSTALLED) ## Open JupyterLab on the project kernel
	$(VENV)/bin/jupyter lab --notebook-dir=. --allow-root --MappingKernelManager.default_kernel_name=$(KERNEL)

venv: $(INSTALLED) ## Create .venv from the lock (compiled to bytecode) and register the project kernel

clean: ## Remove run stamps, failed runs and caches (keeps .venv and every stored result)
	rm -rf $(STAMPS) build .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean ## Also remove .venv
	rm -rf $(VENV) src/*.egg-info

lock: $(INSTALLED) ## Re-resolve requirements.in into requirements.lock (every platform), environment.yml and METHODS.md's versions
	$(UV) pip compile requirements.in --universal --python-version 3.11 --generate-hashes --no-header -o requirements.lock
	$(PY) -m analysis.pipeline.environment
	$(PY) -m analysis.pipeline.generate methods

bench: $(INSTALLED) ## Benchmark: cold and warm reproduce, floor, naive baseline, make test, memory
	$(PY) tools/bench.py

rehash: $(INSTALLED) ## Record new sha256 of raw files (only after a reviewed re-transcription)
	$(PY) -m analysis.ingest.datapackage rehash

register-year: $(INSTALLED) ## Describe YEAR's raw files (data/raw/*_YEAR.csv) with the previous year's schemas
	@test -n "$(YEAR)" || { echo "usage: make register-year YEAR=2024" >&2; exit 2; }
	$(PY) -m analysis.ingest.datapackage register $(YEAR)

# The installed packages are compiled to bytecode once, here: every kernel and tool then imports
# them from .pyc files, also where Python may not write them (PYTHONDONTWRITEBYTECODE, a read-only
# .venv), instead of compiling pandas, scipy and matplotlib from source in every new process.
# A venv that lives elsewhere (a test's copy of the tree borrowing this project's .venv, or
# VENV=/path/to/another) is used as it is: reinstalling would point its editable install here.
$(INSTALLED): requirements.lock pyproject.toml
	@if [ -e $(VENV) ] && [ "$$(realpath $(VENV))" != "$$(realpath .)/$(VENV)" ]; then \
		echo "==> $(VENV) belongs to another checkout: used as it is, not reinstalled"; exit 0; fi; \
	echo "==> setting up $(VENV) from requirements.lock (Python: $(PYTHON_BOOT))"; \
	$(PYTHON_BOOT) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version.split()[0]'; \
	test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV); \
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION); \
	$(UV) pip sync --quiet --python $(PY) --require-hashes --compile-bytecode requirements.lock; \
	$(UV) pip install --quiet --python $(PY) --no-deps --no-build-isolation --editable .; \
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python 3 ($(KERNEL))" >/dev/null; \
	touch $@; \
	echo "==> $(VENV) ready, kernel '$(KERNEL)' registered"

# A step: run its notebook in place, then stamp it. In QUEUE mode (asked by the batch runner and
# by `reproduce`) only write the notebook's name to the queue: make decides what is stale.
$(STAMPS)/%: notebooks/%.ipynb $(COMMON) $(INSTALLED)
ifdef QUEUE
	@echo $< >> $(QUEUE)
else
	$(PY) -m analysis.pipeline.runner $<
	@mkdir -p $(STAMPS) && touch $@
endif

# ---------------------------------------------------------------------------------------------------
# The errata letter as PDF and the citable archive (issue 22). Self-contained: this block only adds
# the two targets. Neither output is stored: a PDF embeds its printing date and engine; the archive
# is built from the repository as it is (its bytes depend only on the files and CITATION.cff).
.PHONY: letter archive
letter: $(INSTALLED) ## Print the errata letter (kk, ru, en) to PDF in build/letter/ (needs Chromium)
	"$(PY)" -m analysis.report.letter "build/letter"

archive: $(INSTALLED) ## Refresh ro-crate-metadata.json and zip the repository for a DOI repository (build/archive/)
	"$(PY)" -m analysis.report.archive crate
	"$(PY)" -m analysis.report.archive check
	"$(PY)" -m analysis.report.archive zip "build/archive"
