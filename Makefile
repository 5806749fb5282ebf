# The two commands in README.md:
#   make serve   set up (first time only), build the site and preview it at http://localhost:8000/patient-info/
#                (the address ends with the path of base_url in site.toml; the server prints it)
#   make test    set up with test tools and Chromium (first time only), then run every test
# Other targets: make build, make check [STRICT=1], make handouts, make new TITLE="..." [TOPIC="..."], make test-browser,
# make check-style, make bench, make fuzz, make clean.
# Options: DRAFTS=1 builds pages marked draft: true (make serve DRAFTS=1); PORT=8001 serves on another port.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
DRAFTS_FLAG := $(if $(filter 1 yes true,$(DRAFTS)),--drafts)
STRICT_FLAG := $(if $(filter 1 yes true,$(STRICT)),--strict)

.DEFAULT_GOAL := help
.PHONY: help serve build handouts handout-libs new check test test-browser browser check-style bench fuzz clean

help:
	@echo 'make serve                  set up (first run only), build the site and preview it'
	@echo 'make serve DRAFTS=1         the same, with draft pages'
	@echo 'make build                  set up (first run only) and build the site into _site/'
	@echo 'make handouts               the same, with a PDF handout of each article (installs WeasyPrint first)'
	@echo 'make check [STRICT=1]       check every page before publishing (STRICT=1: warnings fail too)'
	@echo 'make new TITLE="Your title" [TOPIC="Spine MRI"]   start a new article (a draft)'
	@echo 'make test                   set up with the test tools (first run only), then run every test'
	@echo 'make test-browser           only the tests in Chromium and the HTML checker (screenshots: test-artifacts/)'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.handouts: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[handouts]'
	touch $@ $(VENV)/.runtime

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.runtime $(VENV)/.handouts

serve: $(VENV)/.runtime
	$(BIN)/python build.py serve --port $(PORT) $(DRAFTS_FLAG)

build: $(VENV)/.runtime
	$(BIN)/python build.py build $(DRAFTS_FLAG)

# The editorial check a pull request gets (see README "Checking before publishing").
check: $(VENV)/.runtime
	$(BIN)/python build.py check $(STRICT_FLAG)

handouts: $(VENV)/.handouts handout-libs
	$(BIN)/python build.py build --handouts $(DRAFTS_FLAG)

# WeasyPrint (PDF handouts) loads Pango and HarfBuzz from the system: install Debian's packages if it cannot.
handout-libs: | $(BIN)/python
	@$(BIN)/python -c 'import weasyprint' >/dev/null 2>&1 || { \
	  echo "Installing the text-layout libraries WeasyPrint needs (Debian packages: Pango, HarfBuzz, fonts)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
	    libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core >/dev/null; }

# TITLE and TOPIC reach the command through the environment, so quotes and spaces in them are safe.
new: $(VENV)/.runtime
	@test -n "$$TITLE" || { echo 'Give the title: make new TITLE="Your title" [TOPIC="Spine MRI"]' >&2; exit 2; }
	@$(BIN)/python build.py new "$$TITLE" $${TOPIC:+--topic "$$TOPIC"}

# Browser tests need Debian's Chromium (Playwright cannot download its own browser here), and the HTML checker
# needs Java and npm: whichever is missing is installed from Debian.
browser:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium fonts-dejavu-core"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	[ -z "$$missing" ] || { \
	  echo "Installing for the browser tests (Debian packages):$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; }

# Test tools from npm, at the versions in package-lock.json: the W3C Nu HTML checker (vnu-jar, run with the
# machine's Java) and axe-core. No install scripts: vnu-jar's would download a Java of its own.
node_modules/.installed: package.json package-lock.json | browser
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

test: $(VENV)/.test browser handout-libs node_modules/.installed
	$(BIN)/python -m pytest

test-browser: $(VENV)/.test browser node_modules/.installed
	$(BIN)/python -m pytest -m browser

check-style: $(VENV)/.test
	$(BIN)/ruff check carepages tests bench build.py

bench: $(VENV)/.runtime
	$(BIN)/python bench/run.py

# The nightly command: the hostile-input properties with 20,000 examples each and no deadline (hours, not
# minutes). `make test` runs the same properties with fewer (HYPOTHESIS_PROFILE=ci when CI is set).
fuzz: $(VENV)/.test
	HYPOTHESIS_PROFILE=nightly $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_hostile_input.py

clean:
	rm -rf _site .pytest_cache test-artifacts
