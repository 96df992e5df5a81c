# One command from clone to report: `make report`; the whole test suite: `make test`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
MIRROR ?= $(if $(GINO_MIRROR),$(GINO_MIRROR),../shared/data)
STAMP  := $(VENV)/.installed

.PHONY: venv report build fetch check test clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=python3 ...'" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]' 2>&1 | grep -v '^WARNING: Location' || true
	$(PY) -c "import analysis, geopandas, pandera, doit" 
	touch $(STAMP)

fetch: venv
	$(PY) -m analysis fetch --mirror $(MIRROR)

build: fetch
	$(PY) -m analysis build

check: build
	$(PY) -m analysis check

report: check
	$(PY) -m analysis report

test: venv
	GINO_MIRROR=$(MIRROR) $(PY) -m pytest

clean:
	rm -rf data/processed/* data/.state
