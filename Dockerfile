# SMP application image: the web app (gunicorn), the Celery worker and Celery beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    PRIVATE_STORAGE_ROOT=/data/uploads \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app

# Dependencies first (a layer rebuilt only when pyproject.toml changes); the code is
# run from /app, which PYTHONPATH puts ahead of site-packages.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin smp \
 && mkdir -p /data/uploads /app/staticfiles /app/var \
 && chown -R smp:smp /data /app/staticfiles /app/var

USER smp
EXPOSE 8000
CMD ["gunicorn", "smp.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
