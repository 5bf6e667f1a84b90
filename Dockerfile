# Image for the example deployment in deploy/docker-compose.yml.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
COPY src ./src
RUN pip install --no-cache-dir -c requirements.lock '.[postgres]'
USER nobody
EXPOSE 8000
CMD ["newsdesk", "serve"]
