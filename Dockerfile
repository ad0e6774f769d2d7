# Slim runtime image: `tongban serve` as a non-root user. Build: docker build -t tongban .
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY gateway ./gateway
COPY adapters ./adapters
COPY schemas ./schemas
COPY sandbox ./sandbox
RUN python -m venv /opt/tongban \
 && /opt/tongban/bin/pip install --no-cache-dir -c constraints.txt .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home-dir /app tongban
WORKDIR /app
COPY --from=build /opt/tongban /opt/tongban
COPY migrations ./migrations
COPY adapters/provinces ./adapters/provinces
ENV PATH=/opt/tongban/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    TONGBAN_PROVINCES_DIR=/app/adapters/provinces \
    TONGBAN_MIGRATIONS_DIR=/app/migrations \
    TONGBAN_DATABASE_URL=sqlite+aiosqlite:////app/var/tongban.db
RUN mkdir -p /app/var && chown tongban /app/var
USER tongban
EXPOSE 8000
# TONGBAN_SECRET_KEY and TONGBAN_DATA_KEY must be provided; the gateway refuses to start without.
CMD ["sh", "-c", "tongban db upgrade && exec tongban serve --host 0.0.0.0 --port 8000"]
