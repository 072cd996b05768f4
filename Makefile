# 지식나눔 portal. `make run` to try it, `make test` for the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench setup setup-dev system-deps run-prod worker beat clean format backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	bash scripts/ensure-build-deps.sh
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

setup: $(VENV)/.runtime
setup-dev: $(VENV)/.dev

system-deps:
	bash scripts/ensure-system.sh

# Embedded SQLite, tasks in-process: no server needed.
run: setup
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py collectstatic --noinput -v0
	@echo ""
	@echo "지식나눔: http://$(HOST):$(PORT)/  (관리자 화면: http://$(HOST):$(PORT)/admin/)"
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: setup-dev system-deps
	bash scripts/test.sh

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates */templates --lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/mypy .

format: setup-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint templates */templates --reformat --quiet || true

bench: setup-dev
	bash scripts/ensure-services.sh
	bash scripts/ensure-bench.sh
	$(BIN)/python -m bench $(BENCH)

# Production: PostgreSQL, Redis, gunicorn + whitenoise, a Celery worker and beat.
# Reads /etc/jisik/jisik.env (or JISIK_ENV_FILE): deploy/jisik.env.example, docs/production.md.
# Threaded gunicorn workers (deploy/gunicorn.conf.py) behind nginx (deploy/nginx.conf).
run-prod: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	GUNICORN_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c deploy/gunicorn.conf.py

worker: setup
	$(BIN)/celery -A jisik_portal worker -l info

beat: setup
	$(BIN)/celery -A jisik_portal beat -l info --schedule var/celerybeat-schedule

# Database and uploads into BACKUP_DIR; restore one folder of it (docs/backup.md).
backup: setup
	bash scripts/backup.sh

restore: setup
	bash scripts/restore.sh $(BACKUP) --yes

# Never var/: it holds the uploads and the SQLite database (docs/backup.md).
clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache .ruff_cache
