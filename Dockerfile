FROM python:3.11-slim
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1 LITELLM_LOCAL_MODEL_COST_MAP=True
WORKDIR /opt/devops-gate
COPY pyproject.toml README.md ./
COPY gate ./gate
COPY policies ./policies
RUN pip install --no-cache-dir -e .
# As a GitHub Action the image runs `devops-gate action` (action.yml passes it as the argument); any other
# command works too: docker run IMAGE plan --request "..."
ENTRYPOINT ["devops-gate"]
CMD ["action"]
