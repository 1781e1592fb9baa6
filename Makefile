# One command sets up and runs the demo, one sets up and runs the tests.
PYTHON ?= python3
PIP := $(PYTHON) -m pip
PLUGIN_DIRS := $(patsubst %/pyproject.toml,%,$(wildcard plugins/*/pyproject.toml))
SANDBOX := $(if $(wildcard sandbox/pyproject.toml),-e sandbox,)

.PHONY: install demo score-demo test lint bench

install:  ## core + every first-party plugin, editable; CPU torch first so nothing pulls CUDA
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e ".[train,bench,dev,serve,ray]" $(SANDBOX) $(foreach p,$(PLUGIN_DIRS),-e $(p))

demo: install  ## GRPO on a tiny offline model: format + math rewards rise in about a minute
	$(PYTHON) -m rewardkit train examples/train-toy.yaml --output-dir runs/toy

score-demo: install  ## score examples/samples.jsonl with the R1-style example rubric
	$(PYTHON) -m rewardkit score --rubric examples/rubric.yaml --input examples/samples.jsonl --output demo-scores.jsonl --overwrite

test: install
	$(PYTHON) -m pytest

lint: install  ## ruff (rules in pyproject.toml) and mypy on rewardkit/, plugins/ and sandbox/
	$(PYTHON) -m ruff check .
	$(PYTHON) -m mypy

bench: install
	$(PYTHON) benchmarks/run_all.py
