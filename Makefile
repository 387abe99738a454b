# The verbs people type. `make demo` and `make test` are the README's two set-up commands.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
LINTERS := $(VENV)/.linters

.PHONY: demo test test-fast lint bench eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[all,test]'
	touch $(STAMP)

demo: $(STAMP)  ## set up, then answer the headline question with explanation and sources
	$(PY) -m pvp_kg ask "Which complications relate to cement leakage?"

test: $(STAMP)  ## the whole suite (slow, java and server tests included)
	$(PY) -m pytest

test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow"

$(LINTERS): $(STAMP)
	$(PY) -m pip install --quiet 'ruff>=0.6' 'mypy>=1.10'
	touch $(LINTERS)

lint: $(LINTERS)  ## ruff and mypy --strict, as CI runs them
	$(PY) -m ruff check pvp_kg tests examples benchmarks
	$(PY) -m mypy

bench: $(STAMP)  ## speed, as ratios against plain rdflib measured in the same run
	$(PY) benchmarks/run.py

eval: $(STAMP)  ## score ask() on tests/eval (dev and sealed; sealed shows aggregates only)
	$(PY) tests/eval/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
