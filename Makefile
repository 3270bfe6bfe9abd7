# The two commands: `make run` (demo on SQLite, Celery eager) and `make test` (the whole suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= lms.settings.dev

.PHONY: run test setup system-deps install messages compilemessages check-translations lint format demo worker beat bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

system-deps:
	bash scripts/install-system-deps.sh

install: system-deps $(STAMP) compilemessages

compilemessages: $(STAMP)
	$(BIN)/python scripts/translations.py compile

setup: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo

run: setup
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	DJANGO_SETTINGS_MODULE=lms.settings.test DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(BIN)/python -m pytest $(PYTEST_ARGS)

messages: $(STAMP)
	$(BIN)/python scripts/translations.py make

check-translations: $(STAMP)
	$(BIN)/python scripts/translations.py check

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: $(STAMP)
	$(BIN)/celery -A lms worker -l info --concurrency 2

beat: $(STAMP)
	$(BIN)/celery -A lms beat -l info

bench: install
	DJANGO_SETTINGS_MODULE=lms.settings.dev $(BIN)/python -m bench

clean:
	rm -rf $(VENV) db.sqlite3 var
