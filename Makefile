# The two commands in README.md:
#   make serve   set up (first time only), build the site and preview it at http://localhost:8000/
#   make test    set up with test tools and Chromium (first time only), then run every test
# Other targets: make build, make check-style, make bench, make clean.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: serve build test browser check-style bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.runtime

serve: $(VENV)/.runtime
	$(BIN)/python build.py serve --port $(PORT)

build: $(VENV)/.runtime
	$(BIN)/python build.py build

# Browser tests need Debian's Chromium (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Chromium for the browser tests (Debian package 'chromium')"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

test: $(VENV)/.test browser
	$(BIN)/python -m pytest

check-style: $(VENV)/.test
	$(BIN)/ruff check carepages tests bench build.py

bench: $(VENV)/.runtime
	$(BIN)/python bench/run.py

clean:
	rm -rf _site .pytest_cache
