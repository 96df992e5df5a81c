# One command from clone to report: `make report`; the whole test suite: `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
# The environment: .venv, or `make VENV=DIR` (GINO_VENV=DIR in the environment, which a plain `quarto render`'s
# pre-render `make` inherits). Outside the project a render is about 10 s faster from Quarto 1.8 on, which walks
# every directory under the project, the environment's too, a few times per render (docs/report.md).
VENV   := $(if $(GINO_VENV),$(GINO_VENV),.venv)
override VENV := $(patsubst ~/%,$(HOME)/%,$(VENV))
ifneq ($(words $(VENV)),1)
$(error VENV (or GINO_VENV) must be one directory without spaces, not '$(VENV)')
endif
PY     := $(VENV)/bin/python
MIRROR ?= $(if $(GINO_MIRROR),$(GINO_MIRROR),../shared/data)
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
UV     ?= uv
# uv writes no bytecode at install; Python writes it on first import unless PYTHONDONTWRITEBYTECODE is set,
# and then every command would compile its imports again, so uv compiles at install there (as pip always does).
UV_COMPILE := $(if $(PYTHONDONTWRITEBYTECODE),--compile-bytecode,)

.PHONY: venv owner lock hooks report feedback build fetch check synthesize prerender test clean

# An environment serves the clone that installed it (its editable install of analysis points there): in another
# clone the notebooks' and Quarto's kernels would run that clone's code. Checked from notebooks/, where a kernel
# starts, before an environment is used or replaced (tools/environment_owner.py, 50 ms). No path is quoted into
# the commands: a clone's path may hold a quote or a '$'.
REMAKE      = rm $(VENV)/.installed && $(if $(filter .venv,$(VENV)),make venv,make VENV=$(VENV) venv)
OWNER_CHECK = if [ ! -x $(PY) ]; then echo "error: the environment $(VENV) has no Python that runs ($(PY); an upgrade of the Python it was made with does that): $(REMAKE)" >&2; exit 1; fi; \
  if [ ! -d notebooks ]; then echo "error: notebooks/ is missing from this clone; restore it: git checkout -- notebooks" >&2; exit 1; fi; \
  (cd ./notebooks && $(if $(filter /%,$(PY)),$(PY),../$(PY)) -P ../tools/environment_owner.py $(VENV))

# The guard first, so that a refused environment still leaves it installed.
venv: hooks owner

# The pre-commit hook refuses real survey microdata (analysis/survey_data/guard.py); local to this clone.
hooks:
	@if [ -d .git ] && [ "$$(git config core.hooksPath)" != ".githooks" ]; then git config core.hooksPath .githooks && echo "installed the pre-commit guard against committing real survey data (.githooks/pre-commit)"; fi

# The hook runs the guard with this Python once it is known to be this clone's (then .venv's, then python3).
owner: export GINO_PYTHON_PATH := $(abspath $(PY))
owner: $(STAMP)
	@$(OWNER_CHECK)
	@if [ -d .git ] && [ "$$(git config gino.python)" != "$$GINO_PYTHON_PATH" ]; then git config gino.python "$$GINO_PYTHON_PATH"; fi

# The environment is installed exactly from requirements.lock (versions and hashes for Python 3.11 on Linux),
# with uv when it is on PATH (much faster), with pip otherwise. `make lock` renews the lock after pyproject.toml changed.
$(STAMP): pyproject.toml $(LOCK) config/jupyter/ipython_kernel_config.py
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { echo "error: Python >= 3.11 is needed (found: '$(PYTHON)'); install it or run 'make PYTHON=/path/to/python3.11 ...'" >&2; exit 1; }
	@if [ -e "$(VENV)" ] && [ ! -f "$(VENV)/pyvenv.cfg" ]; then echo "error: VENV=$(VENV) exists and is not a Python environment (no pyvenv.cfg), so 'make venv' will not replace it; choose a new or an environment's directory" >&2; exit 1; fi
	@if [ -f "$(STAMP)" ] && [ -x "$(PY)" ]; then $(OWNER_CHECK); fi
	rm -rf "$(VENV)" && $(PYTHON) -m venv "$(VENV)"
	@if ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then \
	  echo "note: $(LOCK) is for Python 3.11; installing unpinned versions from pyproject.toml instead (they may differ from the tested ones)"; \
	  $(PY) -m pip install --quiet -e '.[test]'; \
	elif command -v $(UV) >/dev/null 2>&1; then \
	  $(UV) pip sync --quiet $(UV_COMPILE) --python $(PY) --require-hashes $(LOCK) && $(UV) pip install --quiet --python $(PY) --no-deps -e .; \
	else \
	  $(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK) && $(PY) -m pip install --quiet --no-deps -e .; \
	fi 2>&1 | grep -v '^WARNING: Location' || true
	$(PY) -c "import analysis, geopandas, pandera, doit, pingouin, statsmodels, seaborn, jupyterlab, pytest"
	mkdir -p $(VENV)/etc/ipython && cp config/jupyter/ipython_kernel_config.py $(VENV)/etc/ipython/
	touch $(STAMP)

# Packages left out of the lock: jsonschema imports rfc3987-syntax when present, which builds a lark grammar (1.5 s)
# in every process that imports nbformat (each notebook run, Quarto's and the tests'); without it jsonschema only
# skips checking RFC 3987 strings, which no notebook holds.
NOT_INSTALLED := rfc3987-syntax lark

# Renew requirements.lock from pyproject.toml (needs uv: `pip install uv`); then `make venv` installs it.
lock:
	@command -v $(UV) >/dev/null 2>&1 || { echo "error: 'make lock' needs uv on PATH (pip install uv), or run 'make lock UV=/path/to/uv'" >&2; exit 1; }
	$(UV) pip compile pyproject.toml --extra test --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
	  --generate-hashes --custom-compile-command "make lock" $(addprefix --no-emit-package ,$(NOT_INSTALLED)) --quiet -o $(LOCK)

# The mirror is only read for snapshots missing from data/raw.
fetch: venv
	@$(PY) -m analysis fetch --mirror $(MIRROR)

build: fetch
	@$(PY) -m analysis build

check: build
	@$(PY) -m analysis check

# Quarto's pre-render step: the incremental build, then the notebooks whose inputs changed are executed
# into reports/notebooks/ (what Quarto renders and embeds), and stale frozen article results dropped.
# Under `gino report`, which has just done all that, only the environment is checked (the pipeline's start is a second).
prerender: venv
	@if [ "$$GINO_PRERENDERED" = 1 ]; then echo "pre-render: done by 'gino report' just before Quarto started"; \
	else $(MAKE) --no-print-directory build && $(PY) -m analysis prerender; fi

# Regenerate the synthetic survey twin (committed in data/raw/synthetic/) from config/synthetic.yaml.
synthesize: build
	@$(PY) -m analysis synthesize

report: fetch
	@QUARTO_PYTHON=$(abspath $(PY)) $(PY) -m analysis report

# Every municipality's report, the posters and the slide decks (reports/feedback/), rendered with Quarto if installed.
feedback: fetch
	@QUARTO_PYTHON=$(abspath $(PY)) $(PY) -m analysis feedback

# The suite on two processes, each test file on one (pytest-xdist; the builds they share are made once, tests/conftest.py),
# with Python's bytecode cache on even where PYTHONDONTWRITEBYTECODE is set: the suite starts more than a hundred Python
# processes (builds, Jupyter kernels), and each would compile analysis/ (and whatever the install did not) again
# (docs/testing.md). TEST_WORKERS=0: one process.
TEST_WORKERS ?= 2
test: venv
	GINO_MIRROR=$(MIRROR) PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

clean:
	rm -rf data/processed/* data/.state
