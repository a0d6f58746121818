FROM python:3.11-slim
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1 LITELLM_LOCAL_MODEL_COST_MAP=True
WORKDIR /opt/devops-gate
COPY pyproject.toml README.md ./
COPY gate ./gate
COPY policies ./policies
RUN pip install --no-cache-dir -e . \
    && printf '#!/bin/sh\nset -e\nargs="${INPUT_COMMAND:-plan}"\nif [ "$args" = check ]; then set -- check ${INPUT_PATHS:-.}; else set -- plan --event "$GITHUB_EVENT_PATH"; fi\n[ -n "$INPUT_FAIL_ON" ] && set -- "$@" --fail-on "$INPUT_FAIL_ON"\n[ -f "${INPUT_CONFIG:-.gate.yml}" ] && set -- "$@" --config "${INPUT_CONFIG:-.gate.yml}"\nexec devops-gate "$@" --out "${INPUT_OUT:-gate-out}"\n' > /usr/local/bin/devops-gate-action \
    && chmod +x /usr/local/bin/devops-gate-action
ENTRYPOINT ["devops-gate"]
