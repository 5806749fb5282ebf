# The two commands in README.md:
#   make serve   set up (first time only), build the site and preview it at http://localhost:8000/patient-info/
#                (the address ends with the path of base_url in site.toml; the server prints it)
#   make test    set up with test tools and Chromium (first time only), then run every test
# Other targets: make build, make check [STRICT=1], make new TITLE="..." [TOPIC="..."], make check-style, make bench, make fuzz, make clean.
# Options: DRAFTS=1 builds pages marked draft: true (make serve DRAFTS=1); PORT=8001 serves on another port.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
DRAFTS_FLAG := $(if $(filter 1 yes true,$(DRAFTS)),--drafts)
STRICT_FLAG := $(if $(filter 1 yes true,$(STRICT)),--strict)

.DEFAULT_GOAL := help
.PHONY: help serve build new check test browser check-style bench fuzz clean

help:
	@echo 'make serve                  set up (first run only), build the site and preview it'
	@echo 'make serve DRAFTS=1         the same, with draft pages'
	@echo 'make build                  set up (first run only) and build the site into _site/'
	@echo 'make check [STRICT=1]       check every page before publishing (STRICT=1: warnings fail too)'
	@echo 'make new TITLE="Your title" [TOPIC="Spine MRI"]   start a new article (a draft)'
	@echo 'make test                   set up with the test tools (first run only), then run every test'

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
	$(BIN)/python build.py serve --port $(PORT) $(DRAFTS_FLAG)

build: $(VENV)/.runtime
	$(BIN)/python build.py build $(DRAFTS_FLAG)

# The editorial check a pull request gets (see README "Checking before publishing").
check: $(VENV)/.runtime
	$(BIN)/python build.py check $(STRICT_FLAG)

# TITLE and TOPIC reach the command through the environment, so quotes and spaces in them are safe.
new: $(VENV)/.runtime
	@test -n "$$TITLE" || { echo 'Give the title: make new TITLE="Your title" [TOPIC="Spine MRI"]' >&2; exit 2; }
	@$(BIN)/python build.py new "$$TITLE" $${TOPIC:+--topic "$$TOPIC"}

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

# The nightly command: the hostile-input properties with 20,000 examples each and no deadline (hours, not
# minutes). `make test` runs the same properties with fewer (HYPOTHESIS_PROFILE=ci when CI is set).
fuzz: $(VENV)/.test
	HYPOTHESIS_PROFILE=nightly $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_hostile_input.py

clean:
	rm -rf _site .pytest_cache
