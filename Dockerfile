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
# The base image ships its standard library without bytecode, and user 10001 cannot write any: without
# this step every start compiled the 200-odd standard modules the server imports (asyncio, json, email,
# sqlite3...) from source again, 0.92 s to the first 200 instead of 0.59 s, and every health check 0.2 s
# instead of 0.05 s. pip compiles what it installs; this compiles the rest, but for what a server never
# imports (pip and setuptools themselves, the GUI and 2to3 packages).
RUN pip install --no-cache-dir . \
    && python -m compileall -q -j 0 \
        -x '/(site-packages/(pip|setuptools|pkg_resources|wheel)|idlelib|tkinter|turtledemo|lib2to3|ensurepip|pydoc_data)/' \
        "$(python -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')" \
    && useradd --create-home --uid 10001 mock \
    && mkdir -p /data \
    && chown mock /data

USER 10001
VOLUME ["/data"]
EXPOSE 7860
# Docker's first probe comes one interval after the start, so a CI job waiting for a healthy service
# container waited 10 s for a server up in 0.6 s; while starting, probe every second (Docker Engine 25+;
# older engines keep to the 10 s interval).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --start-interval=1s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('LANGFLOW_PORT', '7860') + '/health_check', timeout=2)"]
CMD ["mock-langflow", "serve", "--host", "0.0.0.0"]
