# The front door: `make run`, `make test`, `make lint`. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format demo clean up bench

$(INSTALLED): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(INSTALLED)

install: $(INSTALLED)

# The embedded run: SQLite, eager Celery, mail as files in var/mail/, local-memory cache.
# Links in e-mails and the API point at the address served, unless SITE_URL says otherwise.
run: export DEBUG ?= 1
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	mkdir -p var/mail var/media
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Serving http://$(HOST):$(PORT)/ (admin at /admin/, user 'editor', password 'newsroom-demo')"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

demo: export DEBUG ?= 1
demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

# The production shape on one machine: gunicorn, a Celery worker and Celery beat (Procfile,
# run by honcho) against PostgreSQL and Redis given by the environment.
up: install
	@test -n "$$DATABASE_URL" || { echo "make up needs DATABASE_URL (PostgreSQL)"; exit 2; }
	@test -n "$$CELERY_BROKER_URL" || { echo "make up needs CELERY_BROKER_URL (Redis)"; exit 2; }
	@test -n "$$SECRET_KEY" || { echo "make up needs SECRET_KEY"; exit 2; }
	@test -n "$$CACHE_URL" || { echo "make up needs CACHE_URL (Redis, shared by every worker: page cache, rate limits)"; exit 2; }
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var/db.sqlite3 var/static var/test-artifacts
