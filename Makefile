# The two commands a new user needs: `make demo` and `make test`. Both set everything up themselves.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export LITELLM_LOCAL_MODEL_COST_MAP := True

.PHONY: demo test lint typecheck unit install dev bench schema golden clean

$(BIN)/devops-gate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.dev: $(BIN)/devops-gate
	$(BIN)/python -m pip install -q -e ".[dev]"
	@touch $@

install: $(BIN)/devops-gate
dev: $(VENV)/.dev

demo: $(BIN)/devops-gate
	$(BIN)/devops-gate demo

lint: $(VENV)/.dev
	$(BIN)/ruff check gate tests bench
	$(BIN)/ruff format --check gate tests bench

typecheck: $(VENV)/.dev
	$(BIN)/mypy gate

unit: $(VENV)/.dev
	$(BIN)/pytest -q

test: lint typecheck unit

bench: $(VENV)/.dev
	$(BIN)/python -m bench

schema: $(BIN)/devops-gate
	$(BIN)/devops-gate schema > schema/gate-plan.schema.json

golden: $(VENV)/.dev
	$(BIN)/pytest -q tests/test_comment_golden.py --update-golden

clean:
	rm -rf $(VENV) gate-out .pytest_cache .mypy_cache .ruff_cache
