# mock-langflow: a fake Langflow server for contract tests.
#   docker build -t mock-langflow . && docker run --rm -p 7860:7860 -e MOCK_LANGFLOW_API_KEY=sk-... mock-langflow
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LANGFLOW_HOST=0.0.0.0 \
    LANGFLOW_PORT=7860 \
    MOCK_LANGFLOW_DATA_DIR=/data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY mock_langflow ./mock_langflow
COPY fixtures ./fixtures
RUN pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 mock \
    && mkdir -p /data \
    && chown mock /data

USER 10001
VOLUME ["/data"]
EXPOSE 7860
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('LANGFLOW_PORT', '7860') + '/health_check', timeout=2)"]
CMD ["mock-langflow", "serve", "--host", "0.0.0.0"]
