# Newsroom: `make demo` to see it, `make test` to test it.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_PASSWORD := $(or $(NEWSROOM_DEMO_PASSWORD),newsroom-demo)

.PHONY: help demo test lint format clean

help:
	@echo "make demo   set up everything and serve the demo site on http://127.0.0.1:$(PORT)"
	@echo "make test   run the whole test suite"
	@echo "make lint   ruff lint and format check"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

.demo-secret-key:
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# The demo runs as in production (debug off, gunicorn, static files from WhiteNoise) but
# over plain HTTP on loopback, with media served by Django.
demo: export DJANGO_DEBUG = 0
demo: export NEWSROOM_HTTPS = 0
demo: export NEWSROOM_SERVE_MEDIA = 1
demo: export DJANGO_ALLOWED_HOSTS = 127.0.0.1,localhost
demo: export NEWSROOM_SITE_URL = http://127.0.0.1:$(PORT)
demo: export NEWSROOM_DEMO_PASSWORD = $(DEMO_PASSWORD)
demo: $(VENV)/.runtime .demo-secret-key
	@export DJANGO_SECRET_KEY="$$(cat .demo-secret-key)"; \
	$(BIN)/python manage.py migrate --no-input --verbosity 0; \
	$(BIN)/python manage.py load_demo; \
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0; \
	echo; \
	echo "Newsroom is running:"; \
	echo "  Site:   http://127.0.0.1:$(PORT)/"; \
	echo "  Admin:  http://127.0.0.1:$(PORT)/admin/"; \
	echo "  Log in as editor, writer or admin, password: $(DEMO_PASSWORD)"; \
	echo "  Stop with Ctrl-C."; \
	echo; \
	exec $(BIN)/gunicorn newsroom.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

# Tests run with debug off, as in production, over plain HTTP.
test: export DJANGO_DEBUG = 0
test: export NEWSROOM_HTTPS = 0
test: export DJANGO_ALLOWED_HOSTS = testserver,localhost,127.0.0.1
test: $(VENV)/.dev
	export DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}"; \
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
