"""Which interpreter reads a request: offline (default) or an LLM when ``llm.model`` / ``--llm`` is set.

A previous spec (recovered from the PR's sticky comment) makes the text a refinement of that spec.
"""

from __future__ import annotations

from pydantic import ValidationError

from gate.config import GateConfig, LlmSettings
from gate.errors import GateError
from gate.interpret import offline
from gate.interpret.refine import refine
from gate.spec import ChangeSpec


def interpret_request(text: str, config: GateConfig, region: str, previous: ChangeSpec | None = None) -> ChangeSpec:
    if config.llm.model:
        from gate.interpret.llm import LitellmCompleter, interpret_llm, lint_validator

        return interpret_llm(
            text,
            LitellmCompleter(config.llm),
            max_attempts=config.llm.max_attempts,
            validators=[lint_validator(config, region)],
            previous=previous,
        )
    if previous is not None:
        return refine(previous, text)
    return offline.interpret(text, region)


def with_llm(config: GateConfig, model: str) -> GateConfig:
    """``config`` with ``--llm MODEL`` applied (validated like ``llm.model`` in .gate.yml)."""
    try:
        llm = LlmSettings.model_validate({**config.llm.model_dump(), "model": model})
    except ValidationError as exc:
        raise GateError(f"--llm {model!r} is not a model name: {exc.errors()[0]['msg']}",
                        fix="pass a litellm model string such as openai/gpt-4o") from exc  # fmt: skip
    return config.model_copy(update={"llm": llm})
