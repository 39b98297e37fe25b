# The two commands: `make run` (SQLite demo portal) and `make test` (PostgreSQL, Redis, Chromium).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test bench lint format system-deps services migrate seed check-deploy clean

$(VENV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel
	$(MAKE) $(STAMP)

$(STAMP): pyproject.toml | $(VENV)
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	bash scripts/system-deps.sh run
	DJANGO_SETTINGS_MODULE=award.settings.dev $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=award.settings.dev $(BIN)/python manage.py seed_demo
	DJANGO_SETTINGS_MODULE=award.settings.dev $(BIN)/python manage.py runserver 127.0.0.1:8000

system-deps:
	bash scripts/system-deps.sh test

services:
	bash scripts/services.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(STAMP) system-deps services lint
	DJANGO_SETTINGS_MODULE=award.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -m "not perf" $(PYTEST_ARGS)

bench: $(STAMP) system-deps services
	$(BIN)/pytest -m perf -s tests/perf $(PYTEST_ARGS)

check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=award.settings.prod SECRET_KEY=check-deploy-$$RANDOM-0123456789abcdefghijklmnopqrstuvwxyz \
	  ALLOWED_HOSTS=award.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var db.sqlite3
