# The two commands a new user needs: `make run` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The reference frontend's port (`make frontend`): the CMS lets it call GraphQL (CORS) from there.
FRONTEND_PORT ?= 3000
BENCH_PAGES ?= 1000 100000

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

.PHONY: install
install: $(VENV)/.installed-dev ## Create the virtualenv and install every pinned requirement

.PHONY: run
# Every URL the CMS writes on the ports it is given: images and documents on PORT, the frontend's
# addresses (canonical URLs, the feeds' links, previews) on FRONTEND_PORT; `make run PORT=8001`.
run: export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)
run: export FRONTEND_BASE_URL ?= http://$(HOST):$(FRONTEND_PORT)
run: export FRONTEND_PORT := $(FRONTEND_PORT)
# `make run FRONTEND=1`: the preview panel shows drafts in the reference frontend.
ifdef FRONTEND
run: export PREVIEW_FRONTEND_URL ?= http://$(HOST):$(FRONTEND_PORT)/preview
endif
run: $(VENV)/.installed ## Set up and serve the CMS on SQLite with the demo content (PORT, FRONTEND_PORT)
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py load_demo_content
	$(BIN)/python manage.py load_demo_cooperation
	@$(BIN)/python manage.py create_demo_users
	@echo ""
	@echo "  Wagtail admin   http://$(HOST):$(PORT)/admin/"
	@echo "  GraphQL         http://$(HOST):$(PORT)/graphql/  (GraphiQL when opened in a browser)"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

.PHONY: serve
serve: $(VENV)/.installed ## Production server (gunicorn, production settings; see docs/deployment.md)
	DJANGO_SETTINGS_MODULE=cms.settings.production $(BIN)/python manage.py collectstatic --no-input -v 0
	DJANGO_SETTINGS_MODULE=cms.settings.production $(BIN)/python manage.py migrate --no-input -v 0
	DJANGO_SETTINGS_MODULE=cms.settings.production $(BIN)/gunicorn -c cms/gunicorn.conf.py

# Test processes: one per core ("auto"); TEST_WORKERS=0 runs every test in this process. Tests are
# handed out one by one in pytest-django's order, so each process runs the tests that empty the
# database (transaction=True) after the others, as a single process does.
TEST_WORKERS ?= auto

.PHONY: test
test: $(VENV)/.installed-dev ## Run the whole test suite (SQLite, or DATABASE_URL if set; TEST_WORKERS)
	$(BIN)/python -m pytest --ds=cms.settings.test $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist load) $(PYTEST_ARGS)

.PHONY: lint
lint: $(VENV)/.installed-dev ## Style (ruff), the layers (import-linter), links in docs and comments
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python tools/check_links.py

.PHONY: format
format: $(VENV)/.installed-dev ## Fix style with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

.PHONY: check
check: $(VENV)/.installed-dev ## Django system checks and missing migrations
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run

.PHONY: backup
backup: $(VENV)/.installed ## Back up the database and media into var/backups/newsroom-<time>.tar (docs/backups.md)
	$(BIN)/python manage.py backup $(BACKUP_ARGS)

.PHONY: restore
restore: $(VENV)/.installed ## Restore a backup, after confirming: make restore BACKUP=var/backups/newsroom-<time>.tar
	@test -n "$(BACKUP)" || { echo "Which backup? make restore BACKUP=var/backups/newsroom-<time>.tar"; exit 2; }
	$(BIN)/python manage.py restore "$(BACKUP)" $(RESTORE_ARGS)

.PHONY: schema
schema: $(VENV)/.installed ## Write schema.graphql, the GraphQL schema frontends generate code from
	$(BIN)/python manage.py graphql_schema --schema cms.schema.schema --out schema.graphql

.PHONY: schema-check
schema-check: $(VENV)/.installed ## Fail when schema.graphql differs from the code's schema
	$(BIN)/python manage.py graphql_schema --schema cms.schema.schema --out .schema-check.graphql >/dev/null
	@diff -u schema.graphql .schema-check.graphql && rm .schema-check.graphql || { \
	  rm -f .schema-check.graphql; echo "schema.graphql is out of date: run 'make schema' and commit it."; exit 1; }

.PHONY: bench
bench: $(VENV)/.installed-dev ## Benchmarks on SQLite and PostgreSQL (BENCH_PAGES="1000 100000")
	$(BIN)/python bench/run.py --suite list --suite search --suite sitemap --suite related $(foreach n,$(BENCH_PAGES),--pages $(n)) $(BENCH_ARGS)

.PHONY: bench-peers
bench-peers: $(VENV)/.installed-dev ## Side by side with Directus 11 over HTTP (npm install, cached in ~/.cache; docs/performance.md)
	$(BIN)/python bench/peers.py $(PEERS_ARGS)

.PHONY: bench-smoke
bench-smoke: $(VENV)/.installed-dev ## A tiny run of the benchmarks, to check they still work
	$(BIN)/python bench/run.py --suite list --suite search --suite sitemap --suite related --pages 60 --databases sqlite --repeat 3 --fresh

.PHONY: messages
messages: $(VENV)/.installed-dev ## Update the Vietnamese catalog after changing labels (needs GNU gettext)
	$(BIN)/python manage.py makemessages -l vi -i .venv -i static
	$(BIN)/python manage.py compilemessages -l vi -i .venv

.PHONY: clean
clean: ## Remove the virtualenv, the SQLite database and uploaded media
	rm -rf $(VENV) db.sqlite3 media .local-admin .local-logins

$(VENV)/.installed-load: $(VENV)/.installed ops/requirements-load.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r ops/requirements-load.txt
	touch $@

.PHONY: loadtest
loadtest: $(VENV)/.installed-load ## Load and fault test: gunicorn, PostgreSQL, Redis (docs/load-testing.md)
	$(BIN)/python -m ops.loadtest $(LOADTEST_ARGS)

.PHONY: frontend
frontend: export CMS_GRAPHQL_URL ?= http://$(HOST):$(PORT)/graphql/
frontend: export FRONTEND_PORT := $(FRONTEND_PORT)
frontend: $(BIN)/python ## Serve the reference frontend (frontend/) at http://127.0.0.1:3000, beside `make run` (PORT, FRONTEND_PORT)
	$(BIN)/python frontend/serve.py

.PHONY: e2e
e2e: $(VENV)/.installed-dev ## Browser tests: admin, preview, GraphiQL, frontend (Debian's chromium; e2e/artifacts/)
	$(BIN)/python -m pytest e2e --ds=e2e.settings $(PYTEST_ARGS)
