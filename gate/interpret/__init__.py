"""Request text -> ChangeSpec. The offline interpreter is the default; an LLM (litellm) when configured."""
