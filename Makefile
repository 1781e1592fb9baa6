# One command sets up and runs the demo, one sets up and runs the tests.
PYTHON ?= python3
PIP := $(PYTHON) -m pip
PLUGIN_DIRS := $(patsubst %/pyproject.toml,%,$(wildcard plugins/*/pyproject.toml))
SANDBOX := $(if $(wildcard sandbox/pyproject.toml),-e sandbox,)

.PHONY: install demo test bench

install:  ## core + every first-party plugin, editable; CPU torch first so nothing pulls CUDA
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e ".[train,bench,dev,serve,ray]" $(SANDBOX) $(foreach p,$(PLUGIN_DIRS),-e $(p))

demo: install
	rewardkit score --rubric examples/rubric.yaml --input examples/samples.jsonl --output demo-scores.jsonl --overwrite

test: install
	$(PYTHON) -m pytest

bench: install
	$(PYTHON) benchmarks/run_all.py
