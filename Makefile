# One command sets up and runs the demo, one sets up and runs the tests.
#
# Python: the active virtual environment when there is one ($VIRTUAL_ENV or $CONDA_PREFIX),
# otherwise a project environment in .venv/, created on first use. A system Python that is
# "externally managed" (PEP 668: Debian 12, Ubuntu 24.04) is never installed into.
ifneq ($(strip $(VIRTUAL_ENV)$(CONDA_PREFIX)),)
PYTHON ?= python
else
PYTHON ?= .venv/bin/python
endif
PIP := $(PYTHON) -m pip
PLUGIN_DIRS := $(patsubst %/pyproject.toml,%,$(wildcard plugins/*/pyproject.toml))
SANDBOX := $(if $(wildcard sandbox/pyproject.toml),-e sandbox,)
PYTEST_ARGS ?=

.PHONY: install demo score-demo test lint bench sandbox-image

.venv/bin/python:  ## the project environment (pip is bootstrapped where ensurepip is missing)
	python3 scripts/make_venv.py .venv

install: $(if $(filter .venv/bin/python,$(PYTHON)),.venv/bin/python)  ## core + every first-party plugin, editable; CPU torch first so nothing pulls CUDA
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e ".[train,bench,dev,serve,ray]" $(SANDBOX) $(foreach p,$(PLUGIN_DIRS),-e $(p))

demo: install  ## GRPO on a tiny offline model: format + math rewards rise in about a minute
	$(PYTHON) -m rewardkit train examples/train-toy.yaml --output-dir runs/toy

score-demo: install  ## score examples/samples.jsonl with the R1-style example rubric
	$(PYTHON) -m rewardkit score --rubric examples/rubric.yaml --input examples/samples.jsonl --output demo-scores.jsonl --overwrite

test: install
	$(PYTHON) -m pytest $(PYTEST_ARGS)

lint: install  ## ruff (rules in pyproject.toml) and mypy on rewardkit/, plugins/ and sandbox/
	$(PYTHON) -m ruff check .
	$(PYTHON) -m mypy

bench: install
	$(PYTHON) benchmarks/run_all.py

sandbox-image: install  ## the Docker sandbox image (debootstrap, no registry; cached by content hash)
	$(PYTHON) -m rewardkit sandbox build
