#!/usr/bin/env bash
# Requests per second of the API under gunicorn (2 workers) on PostgreSQL, measured by wrk
# from a second process, beside hand-built JSON views as the ceiling.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench bash bench/api_throughput.sh
#
# Fill the database first with bench/articles_generate.py. Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to the benchmark database}"
PORT=${PORT:-8031}
export SECRET_KEY=${SECRET_KEY:-bench-only-$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9)}
export ALLOWED_HOSTS=127.0.0.1 API_ANON_RATE=100000000/min PAGE_CACHE_SECONDS=0 LOG_LEVEL=WARNING
.venv/bin/python manage.py collectstatic --noinput --verbosity 0
.venv/bin/gunicorn bench.ceiling_wsgi:application --workers 2 --bind 127.0.0.1:$PORT \
  --log-level warning > var/bench-gunicorn.log 2>&1 &
GUNICORN=$!
trap 'kill $GUNICORN' EXIT
sleep 3
SLUG=$(curl -s "http://127.0.0.1:$PORT/api/v1/articles/?page_size=1" | .venv/bin/python -c "import json,sys; print(json.load(sys.stdin)['results'][0]['slug'])")
for url in /api/v1/articles/ "/api/v1/articles/$SLUG/" /ceiling/articles/ "/ceiling/articles/$SLUG/"; do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT$url" || { echo "$url fails"; exit 1; }
  rate=$(wrk -t2 -c8 -d15s "http://127.0.0.1:$PORT$url" | awk '/Requests\/sec/ {print $2}')
  printf '%-40s %10s req/s\n' "$url" "$rate"
done
