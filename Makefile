# The front door: `make run`, `make test`, `make lint`. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format demo clean up bench embedded-env messages

$(INSTALLED): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(INSTALLED)

# The interface's translations: locale/<lang>/LC_MESSAGES/django.po, compiled to .mo (not
# committed) by Babel, pure Python, so a machine without GNU gettext serves them too.
CATALOGS := $(wildcard locale/*/LC_MESSAGES/django.po)
BABEL := $(BIN)/python -m babel.messages.frontend

install: $(INSTALLED) $(CATALOGS:.po=.mo)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | $(INSTALLED)
	$(BABEL) compile --input-file $< --output-file $@ --locale $*

# After marking words in a template or in Python: extract them to locale/django.pot and merge
# them into every language's catalog, where the new ones wait, empty, for their translation.
messages: $(INSTALLED)
	$(BABEL) extract --mapping-file babel.cfg --sort-by-file --no-wrap \
		--keyword gettext_lazy --keyword ngettext_lazy:1,2 --keyword pgettext_lazy:1c,2 \
		--project "Caucasus Center Newsroom" --output-file locale/django.pot .
	$(BABEL) update --no-wrap --ignore-obsolete --no-fuzzy-matching --input-file locale/django.pot --output-dir locale --domain django

# The embedded run: SQLite, eager Celery, mail as files in var/mail/, local-memory cache.
# Links in e-mails and the API point at the address served, unless SITE_URL says otherwise.
run demo embedded-env: export DEBUG ?= 1
run demo embedded-env: export SITE_URL ?= http://$(HOST):$(PORT)

# The same defaults for every command run in this checkout (manage.py import_archive, …):
# settings read .env. It is written when missing and rewritten while it is still ours (its
# first line); a .env of your own is never touched.
ENV_FILE_HEADER := \# Written by make run (the embedded run, for every command in this checkout). Remove this line to keep your own.
embedded-env:
	@if [ ! -e .env ] || [ "$$(head -n 1 .env)" = '$(ENV_FILE_HEADER)' ]; then \
		printf '%s\n' '$(ENV_FILE_HEADER)' 'DEBUG=$(DEBUG)' 'SITE_URL=$(SITE_URL)' > .env; \
	fi

run: install embedded-env
	mkdir -p var/mail var/media
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Serving http://$(HOST):$(PORT)/ (admin at /admin/; the demo logins are above)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

demo: install embedded-env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

# The production shape on one machine: Varnish in front of gunicorn, a Celery worker and
# Celery beat (Procfile, run by honcho) against PostgreSQL and Redis given by the environment.
# Readers go to Varnish (VARNISH_LISTEN); its VCL (deploy/varnish/default.vcl) forwards to
# gunicorn on 127.0.0.1:8000, and the workers purge it there unless HTTP_CACHE_PURGE says
# otherwise.
VARNISH_LISTEN ?= 127.0.0.1:6081
up: export VARNISH_LISTEN := $(VARNISH_LISTEN)
up: export HTTP_CACHE_PURGE ?= [{"kind": "varnish", "url": "http://$(VARNISH_LISTEN)"}]
# Varnish appends the reader's address to X-Forwarded-For: the limits count readers, not it.
up: export PROXY_COUNT ?= 1
up: install
	@test -n "$$DATABASE_URL" || { echo "make up needs DATABASE_URL (PostgreSQL)"; exit 2; }
	@test -n "$$CELERY_BROKER_URL" || { echo "make up needs CELERY_BROKER_URL (Redis)"; exit 2; }
	@test -n "$$SECRET_KEY" || { echo "make up needs SECRET_KEY"; exit 2; }
	@test -n "$$CACHE_URL" || { echo "make up needs CACHE_URL (Redis, shared by every worker: page cache, rate limits)"; exit 2; }
	@test "$$(head -n 1 .env 2>/dev/null)" != '$(ENV_FILE_HEADER)' || { echo "make up: .env holds make run's settings (DEBUG on, SITE_URL of the embedded run) and honcho would give them to every process; remove .env"; exit 2; }
	@command -v varnishd >/dev/null || test -x /usr/sbin/varnishd || { echo "make up needs Varnish in front of gunicorn: apt-get install varnish varnish-modules"; exit 2; }
	mkdir -p var/varnish
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	PATH="$(CURDIR)/$(BIN):$$PATH:/usr/sbin" $(BIN)/honcho start

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var/db.sqlite3 var/static var/test-artifacts
