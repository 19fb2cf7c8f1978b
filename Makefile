# Jingwen: the two set-up commands are `make serve` and `make test`; both create the venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MODEL_VERSION ?= 0.6.0
MODEL_NAME ?= jingwen-zh-$(MODEL_VERSION)
export OMP_NUM_THREADS ?= 1

.PHONY: venv browser serve test bench model quality clean-venv

venv: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

serve: venv
	$(VENV)/bin/jingwen serve

# The review page's end-to-end test drives Debian's Chromium (never a downloaded browser).
# Installed when missing and we are root; otherwise that test skips and says why.
browser:
	@command -v chromium >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
	  (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) || \
	  echo "warning: could not install chromium; the review page's browser test will be skipped"

test: venv browser
	$(PY) -m pytest -q

bench: venv
	$(PY) -m bench.run

# Trains the shipped model (needs ../shared: the dev set and the corpora) and promotes it.
model: venv
	$(VENV)/bin/jingwen -v train --out models/$(MODEL_NAME) --version $(MODEL_VERSION) --promote

# The quality table of the README: grouped cross-validation on real pages, model vs. baseline
# (the README's 4 folds; about 35 minutes here). --dump keeps the out-of-fold scores for replays.
quality: venv
	$(PY) -m training.quality --folds 4 --json out/quality.json --dump out/quality-dump.json -v

clean-venv:
	rm -rf $(VENV)
