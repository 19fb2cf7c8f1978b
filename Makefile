# Jingwen: the two set-up commands are `make serve` and `make test`; both create the venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MODEL_VERSION ?= 0.1.0
MODEL_NAME ?= jingwen-zh-$(MODEL_VERSION)
export OMP_NUM_THREADS ?= 1

.PHONY: venv serve test bench model quality clean-venv

venv: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

serve: venv
	$(VENV)/bin/jingwen serve

test: venv
	$(PY) -m pytest -q

bench: venv
	$(PY) -m bench.run

# Trains the shipped model (needs ../shared: the dev set and the corpora) and promotes it.
model: venv
	$(VENV)/bin/jingwen -v train --out models/$(MODEL_NAME) --version $(MODEL_VERSION) --promote

# The quality table of the README: grouped cross-validation on real pages, model vs. baseline.
quality: venv
	$(PY) -m training.quality --folds 8 --json out/quality.json -v

clean-venv:
	rm -rf $(VENV)
