# Production image: gunicorn (web), Celery worker and Celery beat all run from it
# (see docker-compose.yml). Static files are collected at build time and served by WhiteNoise.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_ENV=production

WORKDIR /app

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin app

# Chinese glyphs embedded in certificate PDFs (CERTIFICATE_FONT_FILE, certification/pdf.py).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*

# Every package in requirements.lock has a wheel (one of them in wheels/): no compiler needed.
COPY requirements.lock ./
COPY wheels ./wheels
RUN pip install --no-compile -r requirements.lock

COPY . .

# Settings need these to import; they are placeholders for this one build step only, never
# present in the image's environment. The real values come from the environment at run time.
RUN SECRET_KEY=collectstatic-build-step-placeholder-not-used-at-run-time \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build@localhost:5432/build \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown app:app /app/media

USER app

EXPOSE 8000

CMD ["gunicorn", "gansu_sme.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
