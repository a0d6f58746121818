FROM python:3.11-slim
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1 LITELLM_LOCAL_MODEL_COST_MAP=True
# git: CI jobs outside GitHub Actions (GitLab, Jenkins) read .gate.yml and policies from the base branch with it;
# graphviz (and a font): the change diagram as SVG in report.html
RUN apt-get update && apt-get install -y --no-install-recommends git graphviz fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/devops-gate
COPY pyproject.toml README.md ./
COPY gate ./gate
COPY policies ./policies
# The llm extra (litellm) backs the llm-model input; LITELLM_LOCAL_MODEL_COST_MAP (above) keeps litellm from
# fetching its price map at import. Editable, so the gate finds policies/ next to gate/ (the wheel has no policies/).
RUN pip install --no-cache-dir -e ".[llm]" \
 && python -c "import litellm; from gate.paths import builtin_policy_dir; print('policies:', builtin_policy_dir())"
# As a GitHub Action the image runs `devops-gate action` (action.yml passes it as the argument); any other
# command works too: docker run IMAGE plan --request "..."
ENTRYPOINT ["devops-gate"]
CMD ["action"]
