# One image for every Rasad service: migrate, worker, beat, crawler, API.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 RASAD_DATA_DIR=/data

RUN apt-get update && apt-get install -y --no-install-recommends gcc libxml2-dev libxslt1-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY rasad ./rasad
COPY crawler ./crawler
COPY workers ./workers
COPY db ./db
RUN pip install . && useradd --create-home rasad && mkdir -p /data && chown rasad /data

USER rasad
VOLUME ["/data"]
ENTRYPOINT ["rasad"]
CMD ["--help"]
