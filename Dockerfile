# Two stages: the wheel is built (policies inside, by setup.py's build hook) in a throwaway stage; the final
# image installs it non-editably on top of exactly the locked runtime versions, with no build tools left in it.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# exactly what the wheel is built from (tests/test_packaging.py builds a wheel from these same files)
COPY pyproject.toml setup.py MANIFEST.in README.md ./
COPY gate ./gate
COPY policies ./policies
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /dist .

FROM python:3.11-slim
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1 LITELLM_LOCAL_MODEL_COST_MAP=True
# git: CI jobs outside GitHub Actions (GitLab, Jenkins) read .gate.yml and policies from the base branch with it;
# graphviz (and a font): the change diagram as SVG in report.html
RUN apt-get update && apt-get install -y --no-install-recommends git graphviz fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
# the runtime lock (litellm for llm-model, moto for the demo's embedded AWS), hash-checked, no resolver
COPY requirements/runtime.lock /tmp/runtime.lock
RUN pip install --no-cache-dir --require-hashes --no-deps -r /tmp/runtime.lock && rm /tmp/runtime.lock
COPY --from=build /dist/*.whl /tmp/
RUN pip install --no-cache-dir --no-deps /tmp/devops_gate-*.whl && rm /tmp/devops_gate-*.whl \
 && python -c "from gate.paths import builtin_policy_dir; print('policies:', builtin_policy_dir())"
# As a GitHub Action the image runs `devops-gate action` (action.yml passes it as the argument); any other
# command works too: docker run IMAGE plan --request "..."
ENTRYPOINT ["devops-gate"]
CMD ["action"]
