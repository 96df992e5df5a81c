# One command from clone to report: `make report`; the whole test suite: `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
MIRROR ?= $(if $(GINO_MIRROR),$(GINO_MIRROR),../shared/data)
STAMP  := $(VENV)/.installed

.PHONY: venv hooks report feedback build fetch check synthesize prerender test clean

venv: $(STAMP) hooks

# The pre-commit hook refuses real survey microdata (analysis/survey_data/guard.py); local to this clone.
hooks:
	@if [ -d .git ] && [ "$$(git config core.hooksPath)" != ".githooks" ]; then git config core.hooksPath .githooks && echo "installed the pre-commit guard against committing real survey data (.githooks/pre-commit)"; fi

$(STAMP): pyproject.toml config/jupyter/ipython_kernel_config.py
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { echo "error: Python >= 3.11 is needed (found: '$(PYTHON)'); install it or run 'make PYTHON=/path/to/python3.11 ...'" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]' 2>&1 | grep -v '^WARNING: Location' || true
	$(PY) -c "import analysis, geopandas, pandera, doit, pingouin, statsmodels, seaborn, jupyterlab, pytest"
	mkdir -p $(VENV)/etc/ipython && cp config/jupyter/ipython_kernel_config.py $(VENV)/etc/ipython/
	touch $(STAMP)

# The mirror is only read for snapshots missing from data/raw.
fetch: venv
	$(PY) -m analysis fetch --mirror $(MIRROR)

build: fetch
	$(PY) -m analysis build

check: build
	$(PY) -m analysis check

# Quarto's pre-render step: the incremental build, then the notebooks whose inputs changed are executed
# into reports/notebooks/ (what Quarto renders and embeds), and stale frozen article results dropped.
# Under `gino report`, which has just done all that, no build is started and `prerender` says so.
prerender: venv
	@[ "$$GINO_PRERENDERED" = 1 ] || $(MAKE) --no-print-directory build
	$(PY) -m analysis prerender

# Regenerate the synthetic survey twin (committed in data/raw/synthetic/) from config/synthetic.yaml.
synthesize: build
	$(PY) -m analysis synthesize

report: fetch
	QUARTO_PYTHON=$(abspath $(PY)) $(PY) -m analysis report

# Every municipality's report, the posters and the slide decks (reports/feedback/), rendered with Quarto if installed.
feedback: fetch
	QUARTO_PYTHON=$(abspath $(PY)) $(PY) -m analysis feedback

test: venv
	GINO_MIRROR=$(MIRROR) $(PY) -m pytest

clean:
	rm -rf data/processed/* data/.state
