# Image for the example deployment in deploy/docker-compose.yml.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY requirements ./requirements
COPY src ./src
RUN pip install --no-cache-dir --no-deps --require-hashes -r requirements/runtime.txt \
    && pip install --no-cache-dir --no-deps --no-build-isolation '.[postgres]'
USER nobody
EXPOSE 8000
CMD ["newsdesk", "serve"]
