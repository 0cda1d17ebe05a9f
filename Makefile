# Newsroom: `make demo` to see it, `make test` to test it.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_PASSWORD := $(or $(NEWSROOM_DEMO_PASSWORD),newsroom-demo)

.PHONY: help demo demo-setup test lint format clean bench-data bench audit soak standards

help:
	@echo "make demo   set up everything and serve the demo site on http://127.0.0.1:$(PORT)"
	@echo "make test   run the whole test suite"
	@echo "make lint   ruff lint (with the bandit security rules), format check, import layers"
	@echo "make audit  pip-audit: known vulnerabilities in requirements.txt"
	@echo "make soak   60 s of readers under load while editors publish, with a PostgreSQL restart"
	@echo "make standards   every kind of public page through the Nu HTML Checker, axe-core and Lighthouse (Java, npm, Chromium)"
	@echo "make bench-data, make bench   benchmark data (100,000 stories) and the benchmark, on \$$DATABASE_URL"

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

# The demo runs as in production (debug off, gunicorn, static files from WhiteNoise) but over
# plain HTTP on loopback, with media served by Django. Its settings go to .env (git-ignored),
# where manage.py finds them: after `make demo`, every manage.py command in the README works
# as written. Only manage.py reads .env; the environment wins over it.
DEMO_SETTINGS := DJANGO_DEBUG=0 NEWSROOM_HTTPS=0 NEWSROOM_SERVE_MEDIA=1 \
	DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost NEWSROOM_SITE_URL=http://127.0.0.1:$(PORT)

demo-setup: export NEWSROOM_DEMO_PASSWORD = $(DEMO_PASSWORD)
demo-setup: $(VENV)/.runtime .demo-secret-key
	@printf '%s\n' "# Written by make demo: the demo's settings, read by manage.py (the environment wins)." \
		$(DEMO_SETTINGS) "DJANGO_SECRET_KEY=$$(cat .demo-secret-key)" > .env
	@$(BIN)/python manage.py migrate --no-input --verbosity 0
	@$(BIN)/python manage.py createcachetable
	@$(BIN)/python manage.py load_demo
	@$(BIN)/python manage.py collectstatic --no-input --verbosity 0

demo: demo-setup
	@echo; \
	echo "Newsroom is running:"; \
	echo "  Site:   http://127.0.0.1:$(PORT)/"; \
	echo "  Admin:  http://127.0.0.1:$(PORT)/admin/"; \
	echo "  Log in as editor, writer or admin, password: $(DEMO_PASSWORD)"; \
	echo "  Stop with Ctrl-C."; \
	echo; \
	set -a; . ./.env; set +a; \
	exec $(BIN)/gunicorn newsroom.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

# Tests run with debug off, as in production, over plain HTTP.
test: export DJANGO_DEBUG = 0
test: export NEWSROOM_HTTPS = 0
test: export DJANGO_ALLOWED_HOSTS = testserver,localhost,127.0.0.1
test: $(VENV)/.dev
	export DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}"; \
	$(BIN)/pytest $(PYTEST_ARGS)

# Benchmarks run against the PostgreSQL database DATABASE_URL names (and Redis, if REDIS_URL is set).
bench-data: export DJANGO_DEBUG = 1
bench-data: $(VENV)/.runtime
	@case "$${DATABASE_URL:-}" in postgres*) ;; *) echo "Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/newsroom"; exit 1;; esac
	$(BIN)/python manage.py migrate --no-input --verbosity 0
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py generate_newsroom --articles 100000 --authors 1000 --tags 5000 --if-missing --analyze

# Readers under load while editors publish, PostgreSQL restarted mid-run (see bench/soak.py).
# Uses its own database (newsroom_soak) unless SOAK_DATABASE_URL names another.
soak: $(VENV)/.runtime
	DATABASE_URL="$${SOAK_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/newsroom_soak}" \
	REDIS_URL="$${SOAK_REDIS_URL:-redis://127.0.0.1:6379/3}" $(BIN)/python bench/soak.py

bench: $(VENV)/.runtime
	@command -v wrk >/dev/null || { echo "Installing wrk (Debian)"; apt-get install -y -qq wrk >/dev/null || sudo apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/run.py

# The demo's public pages against the Nu HTML Checker, axe-core (light and dark) and Lighthouse
# (see standards/check.py). Needs Java, npm and Chromium; installs the tools standards/package.json
# pins into .cache/standards/. On its own port, so that it runs beside `make demo`.
STANDARDS_PORT ?= 8096
standards: $(VENV)/.dev demo-setup
	STANDARDS_PORT=$(STANDARDS_PORT) $(BIN)/python standards/check.py

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

audit: $(VENV)/.dev
	$(BIN)/python .ci/audit.py

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .import_linter_cache .cache
