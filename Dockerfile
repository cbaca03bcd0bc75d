# Production image: gunicorn for the web, the same image for Celery worker and beat.
FROM node:20-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
# Bytecode compiled here: the app user cannot write it, and compiling ~1,000 modules from
# source made every restarted worker's first request take 4x longer (PYTHONDONTWRITEBYTECODE).
RUN UV_COMPILE_BYTECODE=1 uv sync --frozen --no-dev --no-install-project
COPY --from=frontend /app/node_modules ./node_modules
COPY . .
RUN DEBUG=false SECRET_KEY=build-only python manage.py collectstatic --no-input -v0
RUN python -m compileall -q -j 0 -x '(node_modules|tests)/' /app
RUN useradd --create-home app && mkdir -p /app/var && chown app /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "sop_planner.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
