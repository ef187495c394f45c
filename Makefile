# Reproducible compendium: Tamabayeva, Abildina, Zhekibayeva (2025), doi:10.48371/PEDS.2025.78.3.005
#
# The two commands: `make reproduce` (the whole analysis) and `make test` (every test).
# Everything else is set up on first use: .venv from requirements.lock, the package `analysis`
# in editable mode, and the project kernel. Each notebook is a step of a dependency graph:
# it re-runs when the notebook, its inputs or src/analysis change, and is skipped otherwise.

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
KERNEL      := kz-inclusive-education
INSTALLED   := $(VENV)/.installed
STAMPS      := .make
RUN         := $(PY) -m analysis.notebook_runner
# src/analysis: what every notebook uses, then each notebook's own modules (below).
M           := src/analysis
COMMON      := $(addprefix $(M)/,__init__.py paths.py errors.py rawio.py datapackage.py schemas.py load.py \
               outputs.py notebook_runner.py i18n.py translations.csv plotstyle.py precision.py) pyproject.toml
# What the cleaning step reads (other raw files belong to later steps: claims, supplementary series).
RAW         := $(wildcard data/raw/table*_*.csv data/raw/text_statistics_*.csv) data/raw/regions_reference.csv \
               data/raw/region_aliases.csv data/raw/corrections.yml data/datapackage.json

# The notebooks, in the order they run. A later notebook adds its stamp here and a line below
# naming the stamps or files it reads.
NOTEBOOKS := 00_clean_extracts \
             10_table1_preschools 11_table2_teacher_shortage \
             20_figure1_special_organisations 21_figure2_inclusive_schools 22_figure3_tvet_students \
             23_map_preschool_inclusion 24_dotplot_preschool_inclusion \
             30_verify_claims \
             40_regional_disparity 41_teacher_shortage 42_trends \
             90_build_report
STEPS     := $(addprefix $(STAMPS)/,$(NOTEBOOKS))

# Each step depends on the files it reads, not on the step that wrote them: a step that re-runs
# but writes identical bytes leaves its files untouched, and nothing after it runs again.
P          := data/processed
PROCESSED  := $(addprefix $(P)/,regions.csv preschool_inclusion_2023.csv teacher_shortage_2023.csv \
              national_indicators.csv corrections_log.csv printed_totals_2023.csv)
$(PROCESSED): $(STAMPS)/00_clean_extracts ;

$(STAMPS)/00_clean_extracts: $(RAW) $(addprefix $(M)/,clean.py corrections.py regions.py)
$(STAMPS)/10_table1_preschools: $(P)/regions.csv $(P)/preschool_inclusion_2023.csv $(P)/corrections_log.csv \
    data/raw/table1_preschools_2023.csv data/datapackage.json $(M)/tables.py
$(STAMPS)/11_table2_teacher_shortage: $(P)/regions.csv $(P)/teacher_shortage_2023.csv $(P)/corrections_log.csv \
    data/raw/table2_teacher_shortage_2023.csv data/datapackage.json $(M)/tables.py
$(STAMPS)/20_figure1_special_organisations $(STAMPS)/21_figure2_inclusive_schools \
$(STAMPS)/22_figure3_tvet_students: $(P)/national_indicators.csv $(P)/regions.csv $(M)/figures.py
$(STAMPS)/23_map_preschool_inclusion: $(P)/preschool_inclusion_2023.csv $(P)/regions.csv $(M)/figures.py $(M)/tile_grid.csv
$(STAMPS)/24_dotplot_preschool_inclusion: $(P)/preschool_inclusion_2023.csv $(P)/regions.csv $(M)/figures.py
$(STAMPS)/30_verify_claims: data/raw/claims.yml data/raw/legal_acts.csv data/raw/article_number_tokens.csv \
    $(P)/preschool_inclusion_2023.csv $(P)/teacher_shortage_2023.csv $(P)/printed_totals_2023.csv $(P)/regions.csv \
    $(wildcard $(M)/claims/*.py)
STATS := $(wildcard $(M)/stats/*.py)
$(STAMPS)/40_regional_disparity: $(P)/preschool_inclusion_2023.csv $(P)/regions.csv $(STATS)
$(STAMPS)/41_teacher_shortage: $(P)/teacher_shortage_2023.csv $(P)/preschool_inclusion_2023.csv $(P)/regions.csv $(STATS)
$(STAMPS)/42_trends: $(P)/national_indicators.csv data/raw/supplementary/official_statements.csv data/datapackage.json $(STATS)
# The report reads every other notebook and every result: it runs last.
REPORTED := $(filter-out $(STAMPS)/90_build_report,$(STEPS))
$(STAMPS)/90_build_report: $(M)/report.py $(P)/corrections_log.csv \
    $(filter-out notebooks/90_build_report.ipynb,$(wildcard notebooks/*.ipynb)) \
    $(wildcard results/tables/* results/figures/* results/claims/* results/stats/*) | $(REPORTED)

.PHONY: help reproduce test lab clean distclean venv lock rehash register-year bench

help: ## Show this help (the default goal)
	@echo "Usage: make <target>   (first use creates .venv from requirements.lock)"
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-13s\033[0m %s\n", $$1, $$2}'

# make reproduce runs in three layers: the cleaning step; then every notebook that reads only its
# outputs, $(JOBS) at a time; then the report. One process runs them all (analysis.batch_runner);
# before each layer it asks make (QUEUE mode, below) which of that layer's steps are stale, so
# make's graph decides, after the layer before has run. With nothing stale, no Python starts.
# (Not `make -q`: it cannot see that a re-run step left its outputs untouched.)
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
FIRST      := notebooks/00_clean_extracts.ipynb
LAST       := notebooks/90_build_report.ipynb
MIDDLE     := $(filter-out $(FIRST) $(LAST),$(addprefix notebooks/,$(addsuffix .ipynb,$(NOTEBOOKS))))

reproduce: $(INSTALLED) ## Run the whole analysis (skips unchanged steps); YEAR=2024: another year, into build/years/2024
ifneq ($(strip $(YEAR)),)
	$(PY) -m analysis.years run $(YEAR) --jobs $(JOBS) $(if $(VERBOSE),--verbose)
else
	@queue=$$(mktemp); trap 'rm -f "$$queue"' EXIT; \
	$(MAKE) --no-print-directory QUEUE="$$queue" $(STEPS) >/dev/null; \
	if [ -s "$$queue" ]; then \
		$(PY) -m analysis.batch_runner --jobs $(JOBS) --stamps $(STAMPS) --make "$(MAKE)" $(if $(VERBOSE),--verbose) \
			--layer "$(FIRST)" --layer "$(MIDDLE)" --layer "$(LAST)"; fi
	@$(MAKE) --no-print-directory $(STAMPS)/manifest
	@echo "==> reproduce: all $(words $(NOTEBOOKS)) notebook(s) up to date"
endif

# results/manifest.csv is rewritten only when it changes, so a stamp records that it is current.
$(STAMPS)/manifest: $(STEPS)
	$(PY) -m analysis.manifest
	@touch $@

test: $(INSTALLED) ## Run every test: unit, bad-input, data validation, nbval over notebooks/
	$(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder tests notebooks --nbval --nbval-kernel-name $(KERNEL) --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

lab: $(INSTALLED) ## Open JupyterLab on the project kernel
	$(VENV)/bin/jupyter lab --notebook-dir=. --allow-root --MappingKernelManager.default_kernel_name=$(KERNEL)

venv: $(INSTALLED) ## Create .venv from the lock and register the project kernel

clean: ## Remove run stamps, failed runs and caches (keeps .venv and every stored result)
	rm -rf $(STAMPS) build .pytest_cache
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean ## Also remove .venv
	rm -rf $(VENV) src/*.egg-info

lock: $(INSTALLED) ## Re-resolve requirements.in into requirements.lock (every platform) and environment.yml
	$(UV) pip compile requirements.in --universal --python-version 3.11 --generate-hashes --no-header -o requirements.lock
	$(PY) -m analysis.environment

bench: $(INSTALLED) ## Benchmark: environment, clean and no-op reproduce, floor, naive baseline, memory
	$(PY) -m analysis.bench

rehash: $(INSTALLED) ## Record new sha256 of raw files (only after a reviewed re-transcription)
	$(PY) -m analysis.datapackage rehash

register-year: $(INSTALLED) ## Describe YEAR's raw files (data/raw/*_YEAR.csv) with the previous year's schemas
	@test -n "$(YEAR)" || { echo "usage: make register-year YEAR=2024" >&2; exit 2; }
	$(PY) -m analysis.datapackage register $(YEAR)

$(INSTALLED): requirements.lock pyproject.toml
	@echo "==> setting up $(VENV) from requirements.lock (Python: $(PYTHON_BOOT))"
	@$(PYTHON_BOOT) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version.split()[0]'
	@test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(UV) pip sync --quiet --python $(PY) --require-hashes requirements.lock
	$(UV) pip install --quiet --python $(PY) --no-deps --no-build-isolation --editable .
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python 3 ($(KERNEL))" >/dev/null
	@touch $@
	@echo "==> $(VENV) ready, kernel '$(KERNEL)' registered"

$(STAMPS)/%: notebooks/%.ipynb $(COMMON) $(INSTALLED)
ifdef QUEUE
	@echo $< >> $(QUEUE)
else
	$(RUN) $<
	@mkdir -p $(STAMPS) && touch $@
endif
