# Kazi server image. Build: docker build -t kazi .   Run: docker run -p 8000:8000 -v kazi-data:/data kazi
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    KAZI_DATA_DIR=/data \
    KAZI_BASE_URL=http://127.0.0.1:8000

# ODK Validate (shipped inside pyxform) runs on Java; the server itself does not need it,
# but `kazi form publish` users like to validate forms in the same image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends default-jre-headless \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/kazi
COPY requirements.lock pyproject.toml README.md ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY app ./app
COPY sync ./sync
COPY migrations ./migrations
COPY forms ./forms
COPY alembic.ini ./
# Editable, so the code finds migrations/ and forms/ beside app/.
RUN pip install --no-cache-dir --no-deps -e . \
    && useradd --system --home /data kazi && mkdir -p /data && chown kazi /data

USER kazi
VOLUME ["/data"]
EXPOSE 8000
CMD ["kazi", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
