# The verbs people type. `make demo` and `make test` are the README's two set-up commands.
#
# Two installs into one .venv, each with its own stamp:
#   make demo  — the runtime only (`pip install -e .`, no extras): about 20 packages.
#   make test  — adds every extra and the test and lint tools, pinned by requirements/dev.lock
#                (installed with uv, so nothing is resolved or backtracked at install time).
# `make lock` regenerates the lock after a change to pyproject.toml's dependencies.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
UV     := $(VENV)/bin/uv
UV_VERSION := 0.13.9
LOCK   := requirements/dev.lock
RUNTIME := $(VENV)/.installed-runtime
DEV     := $(VENV)/.installed-dev

.PHONY: demo test test-fast lint bench eval lock clean

$(RUNTIME): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $(RUNTIME)

$(UV): | $(RUNTIME)
	$(PY) -m pip install --quiet --disable-pip-version-check 'uv==$(UV_VERSION)'

$(DEV): $(RUNTIME) $(LOCK) | $(UV)
	$(UV) pip install --quiet --python $(PY) -r $(LOCK)
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	touch $(DEV)

demo: $(RUNTIME)  ## set up (runtime only), then answer the headline question with explanation and sources
	$(PY) -m pvp_kg ask "Which complications relate to cement leakage?"

test: $(DEV)  ## the whole suite (slow, java and server tests included)
	$(PY) -m pytest

test-fast: $(DEV)
	$(PY) -m pytest -m "not slow"

lint: $(DEV)  ## ruff and mypy --strict, as CI runs them
	$(PY) -m ruff check pvp_kg tests examples benchmarks
	$(PY) -m mypy

bench: $(DEV)  ## speed, as ratios against plain rdflib measured in the same run: every benchmarks/*.py
	@set -e; for script in benchmarks/[!_]*.py; do echo "== $$script"; $(PY) $$script; done

eval: $(RUNTIME)  ## score ask() on tests/eval (dev and sealed; sealed shows aggregates only)
	$(PY) tests/eval/run.py

lock: | $(UV)  ## pin every extra and the dev tools (from pyproject.toml) into requirements/dev.lock
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 --quiet -o $(LOCK)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
