# Reproducible compendium: Tamabayeva, Abildina, Zhekibayeva (2025), doi:10.48371/PEDS.2025.78.3.005
#
# The two commands: `make reproduce` (the whole analysis) and `make test` (every test). The first
# use creates .venv from requirements.lock with the newest Python 3.11-3.13 found (or PYTHON=...).
# Each notebook is a step of the graph declared in src/analysis/pipeline/steps.yml; its rules are
# generated from there into .make/steps.mk, and make runs them, JOBS at a time: a step re-runs
# when its notebook, a file it reads or the code its notebook imports changes.

.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

VENV      := .venv
PY        := $(VENV)/bin/python
UV        := $(VENV)/bin/uv
SUPPORTED := 3.13 3.12 3.11
JOBS      ?= $(shell nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)
INSTALLED := $(VENV)/.installed
TESTED    := $(VENV)/.installed-test
UV_VERSION = $(shell sed -n 's/^uv==\([^ ]*\).*/\1/p' requirements.lock)

.PHONY: help reproduce steps check-outputs test test-fast fuzz lint letter archive lab clean distclean venv lock rehash register-year bench

help: ## Show this help (the default goal)
	@echo "Usage: make <target>   (the first use creates .venv from requirements.lock)"
	@if [ -t 1 ]; then on=$$'\033[36m' off=$$'\033[0m'; else on="" off=""; fi; \
	grep -hE '^[a-zA-Z_-]+:.*## ' Makefile | awk -v on="$$on" -v off="$$off" 'BEGIN {FS = ":.*## "}; {printf "  %s%-14s%s %s\n", on, $$1, off, $$2}'

# .venv belongs to the folder it was made in (in a copied or moved project its editable install
# would import the original's code) and to the Python asked for with PYTHON=: otherwise re-made.
VENV_STALE := $(shell if [ -d "$(VENV)" ]; then r=$$(cat "$(VENV)/.project" 2>/dev/null || true); \
	if [ "$${r%%|*}" != "$(CURDIR)" ] || { [ -n "$(PYTHON)" ] && [ "$${r#*|}" != "$(PYTHON)" ]; }; then echo yes; fi; fi)
ifeq ($(VENV_STALE),yes)
$(INSTALLED): FORCE
endif
FORCE:

# The step rules, for the targets that run steps.
ifneq ($(filter reproduce steps check-outputs .make/% build/%,$(MAKECMDGOALS)),)
include .make/steps.mk
endif
.make/steps.mk: src/analysis/pipeline/steps.yml $(wildcard notebooks/*.ipynb) $(shell find src/analysis -name '*.py') $(INSTALLED)
	@mkdir -p .make
	@"$(PY)" -m analysis.pipeline.makefile "$@"
	@touch "$@"

# What a user gives on the command line, checked before anything runs: one message, with the fix.
ifneq ($(filter reproduce,$(MAKECMDGOALS)),)
ifneq ($(shell [[ "$(JOBS)" =~ ^[1-9][0-9]*$$ ]] && echo ok),ok)
$(error JOBS=$(JOBS) is not a number of steps to run at once; give a whole number, e.g. make reproduce JOBS=2)
endif
ifneq ($(YEAR),)
ifneq ($(shell [[ "$(YEAR)" =~ ^[0-9]{4}$$ ]] && echo ok),ok)
$(error YEAR=$(YEAR) is not a year; give four digits, e.g. make reproduce YEAR=2024)
endif
ifneq ($(filter-out $(wildcard $(YEAR_RAW_FILES)),$(YEAR_RAW_FILES)),)
$(error YEAR=$(YEAR): no raw files $(filter-out $(wildcard $(YEAR_RAW_FILES)),$(YEAR_RAW_FILES)); put the $(YEAR) extracts in data/raw, then make register-year YEAR=$(YEAR))
endif
endif
MISSING_NOTEBOOKS := $(filter-out $(wildcard notebooks/*.ipynb),$(patsubst %,notebooks/%.ipynb,$(STEP_NAMES)))
ifneq ($(MISSING_NOTEBOOKS),)
$(error $(MISSING_NOTEBOOKS) missing: every step needs its notebook; restore it with git checkout -- $(MISSING_NOTEBOOKS))
endif
endif

reproduce: $(INSTALLED) .make/steps.mk ## Run the whole analysis (skips what is current); YEAR=2024: another year, into build/years/2024
ifeq ($(YEAR),)
	@$(MAKE) --no-print-directory check-outputs
	@$(MAKE) --no-print-directory -j$(JOBS) --output-sync=line steps
	@$(MAKE) --no-print-directory .make/manifest
	@echo "==> reproduce: all $(words $(STEP_NAMES)) notebooks up to date"
else
	@$(MAKE) --no-print-directory -j$(JOBS) --output-sync=line steps YEAR=$(YEAR)
	@echo "==> reproduce YEAR=$(YEAR): $(words $(YEAR_STEP_NAMES)) notebooks ran into build/years/$(YEAR)"
endif

# The long steps first (long: true in steps.yml), so that the short ones fill the other cores meanwhile.
RUN_STEP_NAMES := $(if $(YEAR),$(YEAR_STEP_NAMES),$(STEP_NAMES))
steps: $(addprefix $(STAMPS)/,$(filter $(LONG_STEP_NAMES),$(RUN_STEP_NAMES)) $(filter-out $(LONG_STEP_NAMES),$(RUN_STEP_NAMES)))

# Found by content, not by dates: a step whose outputs are missing or differ from what it wrote
# (the sha256 in its manifest fragment), or whose stamp is dated in the future, runs again.
SHA256 := $(shell command -v sha256sum >/dev/null 2>&1 && echo sha256sum || echo shasum -a 256)
check-outputs:
	@now=".make/.now"; touch "$$now"; trap 'rm -f "$$now"' EXIT; \
	for s in $(STEP_NAMES); do \
		[ -f ".make/$$s" ] || continue; \
		fragment="results/manifest/$$s.csv"; \
		if [ ".make/$$s" -nt "$$now" ]; then echo "==> the stamp of $$s is dated in the future; re-running it"; \
		elif [ ! -f "$$fragment" ]; then echo "==> $$fragment is missing; re-running $$s"; \
		else \
			bad="$$(tail -n +2 "$$fragment" | awk -F, '{print $$NF "  " $$1}' | $(SHA256) -c 2>/dev/null | grep -v ': OK$$' | head -n 1 | sed 's/: [^:]*$$//' || true)"; \
			[ -n "$$bad" ] || continue; \
			if [ -e "$$bad" ]; then echo "==> $$bad differs from what $$s wrote; re-running it"; \
			else echo "==> $$bad is missing; re-running $$s"; fi; \
		fi; \
		rm -f ".make/$$s"; \
	done

# A step: run its notebook (outputs and notebook written together, only on success), then stamp it.
$(STAMPS)/%: $(INSTALLED)
	@"$(PY)" -m analysis.pipeline.run "notebooks/$*.ipynb" $(if $(YEAR),--year $(YEAR))
	@mkdir -p "$(@D)" && touch "$@"

# results/manifest.csv and results/datapackage.json, from the steps' manifest fragments.
.make/manifest: $(addprefix .make/,$(STEP_NAMES)) src/analysis/results_schema.yml
	@"$(PY)" -m analysis.pipeline.manifest
	@touch "$@"

test: $(TESTED) lint ## Run every test: lint, unit, data, integration (nbval, a run in a copy, next year, browser)
	"$(PY)" -m pytest -p no:cacheprovider -n $(JOBS) --dist loadfile --no-loadscope-reorder tests

test-fast: $(TESTED) ## Run the unit tests only (no notebooks run; before every commit)
	"$(PY)" -m pytest -p no:cacheprovider -q -p no:xdist -p no:nbval tests/unit

fuzz: $(TESTED) ## Fuzz the raw files, YAML registries and data package: 10,000 random examples (about 15 min)
	FUZZ_EXAMPLES=3334 "$(PY)" -m pytest -p no:cacheprovider -q -n $(JOBS) tests/data/test_fuzz.py

lint: $(TESTED) ## ruff, the import layers (import-linter) and the declared dependencies (deptry)
	"$(VENV)/bin/ruff" check src tests tools notebooks
	"$(VENV)/bin/lint-imports" --no-cache
	"$(VENV)/bin/deptry" src

lab: $(INSTALLED) ## Open JupyterLab on the notebooks (offline: no news, no update checks)
	"$(PY)" -m jupyterlab --notebook-dir=notebooks

venv: $(INSTALLED) ## Create .venv from the lock (what reproduce needs; make test adds the test tools)

clean: ## Remove run stamps, failed runs, other years' runs and caches (keeps .venv and every stored result)
	rm -rf .make build .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean ## Also remove .venv
	rm -rf "$(VENV)" src/*.egg-info

lock: $(INSTALLED) ## Re-resolve pyproject.toml into requirements.lock, requirements-test.lock, environment.yml and METHODS.md's versions
	"$(UV)" pip compile pyproject.toml --extra setup --universal --python-version 3.11 --generate-hashes --no-header -o requirements.lock
	"$(UV)" pip compile pyproject.toml --extra setup --extra test -c requirements.lock --universal --python-version 3.11 --generate-hashes --no-header -o requirements-test.lock
	"$(PY)" tools/lock.py

bench: $(TESTED) ## Benchmark: a cold clone, reproduce from clean outputs, its floor, the bare computation, make test
	"$(PY)" tools/bench.py

rehash: $(INSTALLED) ## Record new sha256 of raw files (only after a reviewed re-transcription)
	@"$(PY)" -m analysis.ingest.datapackage rehash

register-year: $(INSTALLED) ## Describe YEAR's raw files (data/raw/*_YEAR.csv) with the previous year's schemas
	@[[ "$(YEAR)" =~ ^[0-9]{4}$$ ]] || { echo "make: give the year as four digits: make register-year YEAR=2024" >&2; exit 2; }
	@"$(PY)" -m analysis.ingest.datapackage register $(YEAR)

# .venv: the newest supported Python found (or PYTHON=...), the lock installed and compiled to
# bytecode (every later process imports from .pyc files), the project in editable mode.
$(INSTALLED): requirements.lock pyproject.toml
	@python="$(PYTHON)"; \
	if [ -z "$$python" ]; then for v in $(SUPPORTED); do \
		if command -v "python$$v" >/dev/null 2>&1 && "python$$v" -c 'import venv' >/dev/null 2>&1; then python="python$$v"; break; fi; done; fi; \
	if [ -z "$$python" ] || ! "$$python" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' >/dev/null 2>&1; then \
		echo "make: needs Python 3.11, 3.12 or 3.13$${python:+ ($$python is not one)}: install one (python.org, your package manager or pyenv), or name it: make PYTHON=/path/to/python3.12 $(or $(MAKECMDGOALS),venv)" >&2; exit 1; fi; \
	if [ "$(VENV_STALE)" = yes ]; then echo "==> $(VENV) was made for $$(cut -d'|' -f1 "$(VENV)/.project" 2>/dev/null || echo 'another set-up'); re-creating it for $(CURDIR) with $$python"; rm -rf "$(VENV)"; fi; \
	if [ ! -x "$(PY)" ]; then echo "==> creating $(VENV) from requirements.lock with $$python ($$("$$python" -c 'import sys; print(sys.version.split()[0])'))"; \
		"$$python" -m venv "$(VENV)"; else echo "==> bringing $(VENV) up to date with requirements.lock"; fi; \
	"$(PY)" -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"; \
	"$(UV)" pip sync --quiet --python "$(PY)" --require-hashes --compile-bytecode requirements.lock; \
	"$(UV)" pip install --quiet --python "$(PY)" --no-deps --no-build-isolation --editable .; \
	mkdir -p "$(VENV)/share/jupyter/lab/settings"; \
	echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' \
		> "$(VENV)/share/jupyter/lab/settings/overrides.json"; \
	printf '%s' "$(CURDIR)|$(PYTHON)" > "$(VENV)/.project"; \
	touch "$@"

$(TESTED): $(INSTALLED) requirements-test.lock
	@echo "==> adding the test tools from requirements-test.lock"
	@"$(UV)" pip install --quiet --python "$(PY)" --require-hashes --compile-bytecode -r requirements-test.lock
	@touch "$@"

letter: $(TESTED) ## Print the errata letter (kk, ru, en) to PDF in build/letter/ (needs Chromium; not stored: a PDF embeds its date)
	"$(PY)" tools/letter.py build/letter

archive: $(TESTED) ## Refresh ro-crate-metadata.json and zip the repository for a DOI repository, in build/archive/
	"$(PY)" tools/archive.py crate
	"$(PY)" tools/archive.py check
	"$(PY)" tools/archive.py zip build/archive
