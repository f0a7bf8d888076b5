# PMO Playbook: `make site` builds the site, `make test` runs the suite; both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
STAMP  := $(VENV)/.installed

.PHONY: install site serve test bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

site: $(STAMP)
	$(BIN)/playbook build --site-dir site  # validate, then mkdocs build --strict, dated by the last commit
	@echo "Site built: $(CURDIR)/site/index.html (run 'make serve' to browse it with live reload)"

serve: $(STAMP)
	$(BIN)/playbook serve

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m tests.bench.run --sizes 1000 --write

lint: $(STAMP)
	$(BIN)/ruff check playbook macros tests

clean:
	rm -rf site .pytest_cache
