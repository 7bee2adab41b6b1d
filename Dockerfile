# A slim image serving the API and the dashboard (`pip install .` fetches the dashboard's chart
# library from the npm registry, so the build needs that registry). SQLite by default (mount
# /data to keep it, with the uploads waiting for import and the key that signs sign-ins); set
# DATABASE_URL=postgresql+psycopg://user:password@host:5432/jobfair for PostgreSQL, and
# SECRET_KEY (or mount the same /data) so that every container signs alike. The first token:
#   docker run --rm -v jobfair:/data IMAGE jobfair token create --role national --name admin
# Graduates' ID numbers and phones are encrypted with PERSONAL_DATA_KEYS (or the key kept in
# /data/jobfair.personal-data.key): back it up with the database. ENVIRONMENT=production needs
# SECRET_KEY and PERSONAL_DATA_KEYS given.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_URL=sqlite:////data/jobfair.db \
    IMPORT_DIR=/data/imports \
    SECRET_KEY_FILE=/data/jobfair.secret \
    PERSONAL_DATA_KEY_FILE=/data/jobfair.personal-data.key

WORKDIR /app
COPY pyproject.toml setup.py README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /app jobfair \
    && mkdir /data && chown jobfair /data

USER jobfair
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"
# Migrates the schema, then serves with two workers (uvloop + httptools).
CMD ["jobfair", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
