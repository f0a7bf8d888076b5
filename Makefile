# PMO Playbook: `make site` builds the site, `make test` runs the suite; both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
STAMP  := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
SUDO   := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: install bytecode site serve test bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# pip compiles what it installs, but not an editable install's own source; where PYTHONDONTWRITEBYTECODE
# is set (as on the machine engine-docs/performance.md was measured on), Python never caches it and every
# build compiles the engine again (about 0.2 s). Compile it here; unchanged files are skipped.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q playbook macros

site: bytecode
	$(BIN)/playbook build --site-dir site  # validate, then mkdocs build --strict, dated by the last commit
	@echo "Site built in $(CURDIR)/site/. Browse it with 'make serve' (live reload), or serve the folder:"
	@echo "  python3 -m http.server 8000 --bind 127.0.0.1 --directory site, then open http://127.0.0.1:8000/"
	@echo "(opened from disk, as file://, its pages show folder listings and search cannot load its index)"

serve: bytecode
	$(BIN)/playbook serve

test: bytecode $(CHROMIUM)
	$(BIN)/python -m pytest

# The browser tests drive Debian's Chromium; Playwright downloads no browser of its own.
$(CHROMIUM):
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

bench: bytecode
	$(BIN)/python -m tests.bench.run --write

# ruff (style and common bugs), mypy (the type hints), import-linter (the layers of playbook/ point one
# way, and only the MkDocs adapter imports MkDocs): contracts and settings are in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check playbook macros tests
	$(BIN)/ruff format --check playbook macros tests
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf site .pytest_cache
