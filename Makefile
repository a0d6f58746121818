# The two commands a new user needs: `make demo` and `make test`. Both set everything up themselves, from the
# lock files in requirements/ (exact versions, hash-checked), and print the locked versions they installed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
RUNTIME_LOCK := requirements/runtime.lock
DEV_LOCK := requirements/dev.lock
# `make lock` runs this pip-tools release from its own venv, so refreshing the lock never changes .venv.
PIP_TOOLS := pip-tools==7.6.2
COMPILE := ../.venv-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links
export LITELLM_LOCAL_MODEL_COST_MAP := True

.PHONY: demo test lint typecheck unit install dev bench schema golden clean lock versions wheel-demo

# Every pinned package, hash-checked, no resolver (--no-deps: the lock is complete); then the gate itself,
# editable and without dependencies. A changed lock rebuilds the stamp.
$(BIN)/devops-gate: pyproject.toml $(RUNTIME_LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --require-hashes --no-deps -r $(RUNTIME_LOCK)
	$(PIP) install -q --no-deps -e .
	@touch $@

$(VENV)/.dev: $(BIN)/devops-gate $(DEV_LOCK)
	$(PIP) install -q --require-hashes --no-deps -r $(DEV_LOCK)
	$(PIP) install -q --no-deps -e .
	@touch $@

install: $(BIN)/devops-gate
dev: $(VENV)/.dev

versions: $(BIN)/devops-gate
	@$(BIN)/python requirements/check.py $(if $(wildcard $(VENV)/.dev),$(DEV_LOCK),$(RUNTIME_LOCK))

demo: $(BIN)/devops-gate
	@$(BIN)/python requirements/check.py $(if $(wildcard $(VENV)/.dev),$(DEV_LOCK),$(RUNTIME_LOCK))
	$(BIN)/devops-gate demo

lint: $(VENV)/.dev
	$(BIN)/ruff check gate tests bench
	$(BIN)/ruff format --check gate tests bench

typecheck: $(VENV)/.dev
	$(BIN)/mypy gate

unit: $(VENV)/.dev
	$(BIN)/pytest -q

test: $(VENV)/.dev
	@$(BIN)/python requirements/check.py $(DEV_LOCK)
	@$(MAKE) --no-print-directory lint typecheck unit

# Refresh both locks to the newest versions pyproject.toml allows (`make lock UPGRADE=` keeps the current
# pins and only adds or drops what pyproject.toml changed). dev.lock is resolved first; runtime.lock starts
# from it, so both pin the same version of every package they share.
UPGRADE ?= --upgrade
lock:
	test -x .venv-lock/bin/pip-compile || { $(PYTHON) -m venv .venv-lock && .venv-lock/bin/python -m pip install -q "$(PIP_TOOLS)"; }
	cd requirements && $(COMPILE) $(UPGRADE) --extra dev --extra llm -o dev.lock ../pyproject.toml
	cp $(DEV_LOCK) $(RUNTIME_LOCK)
	cd requirements && $(COMPILE) --extra llm -o runtime.lock ../pyproject.toml

bench: $(VENV)/.dev
	$(BIN)/python -m bench

schema: $(BIN)/devops-gate
	$(BIN)/devops-gate schema > schema/gate-plan.schema.json

golden: $(VENV)/.dev
	$(BIN)/pytest -q tests/test_comment_golden.py --update-golden

# What a user of the release gets: the wheel (not the editable checkout) in a fresh venv holding only the runtime
# lock, running the demo to its rollback in a scratch folder.
wheel-demo: $(BIN)/devops-gate
	rm -rf .venv-wheel dist/wheel-demo && mkdir -p dist/wheel-demo
	$(PIP) wheel -q --no-deps -w dist . && $(PYTHON) -m venv .venv-wheel
	.venv-wheel/bin/python -m pip -q --disable-pip-version-check install --require-hashes --no-deps -r $(RUNTIME_LOCK)
	.venv-wheel/bin/python -m pip -q --disable-pip-version-check install --no-deps dist/devops_gate-*.whl
	cd dist/wheel-demo && ../../.venv-wheel/bin/devops-gate demo

clean:
	rm -rf $(VENV) .venv-lock .venv-wheel dist gate-out .pytest_cache .mypy_cache .ruff_cache
