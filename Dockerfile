# Training Hub: the application image. PostgreSQL runs in its own container (compose.yaml).
# Not built in CI here (no Docker daemon): see docs/DEPLOYING.md, "What CI checks".
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    TRAINING_HUB_MODE=production \
    TRAINING_HUB_LOG_FORMAT=json

# pg_dump/pg_restore of the server's major version (16) for `training-hub backup` and `restore`:
# Debian bookworm ships 15, which refuses a 16 server, so they come from the PostgreSQL project's repo.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
 && install -d /usr/share/postgresql-common/pgdg \
 && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
      https://www.postgresql.org/media/keys/ACCC4CF8.asc \
 && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
      > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-16 \
 && apt-get purge -y curl gnupg && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 traininghub
WORKDIR /app
# Templates, static files and migrations are read from the source tree: an editable install keeps them
# where the package expects them.
COPY pyproject.toml README.md piccolo_conf.py babel.cfg ./
COPY training_hub ./training_hub
COPY templates ./templates
COPY static ./static
COPY piccolo_migrations ./piccolo_migrations
RUN pip install -e . && chown -R traininghub /app
USER traininghub

EXPOSE 8000
# Behind a reverse proxy: uvicorn trusts X-Forwarded-* only from FORWARDED_ALLOW_IPS (set it in compose).
CMD ["training-hub", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
