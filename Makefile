# make run   - serve the site on http://127.0.0.1:$(PORT) with a Celery worker and beat
# make test  - run the test suite (pytest; extra arguments in PYTEST_ARGS="...")
# make lint  - ruff, the import contracts (lint-imports) and mypy, configured in pyproject.toml
# make stop  - stop the embedded PostgreSQL/Redis under .data/ if something left them running
# make bench - every performance scenario against its baseline at demo size and at BENCH_ENTERPRISES
#              seeded firms (default 1,000,000), alternating 5 times; bench/results.json and .md
#              (BENCH_QUICK=1: small N, one run, under a minute; BENCH_ARGS="--only pages")
# make hardening - the full forms of the security and fault tests (docs/SECURITY.md)
# make backup - dump the database and MEDIA_ROOT into backups/gansu-sme-<time>.tar with a
#               SHA-256 manifest (BACKUP_DIR=... for another folder)
# make restore ARCHIVE=backups/....tar - check the archive against its manifest, restore it into
#               an empty database and MEDIA_ROOT, compare the key tables (RESTORE_ARGS=--replace)
# make loadtest - locust on loopback against gunicorn: 50 officials and 5 API clients for 2
#               minutes (LOADTEST_ARGS="--users 10 --seconds 15"); figures in loadtest/
# make messages - refresh locale/*/django.po from the code and compile them (needs GNU gettext)
#
# Without DATABASE_URL / REDIS_URL, private PostgreSQL and Redis servers are started under .data/
# (see gansu_sme/devservices/); with them set, those servers are used and nothing is started.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV := .venv
PY := $(VENV)/bin/python
# Touched after a successful install; pip runs again only when requirements.lock is newer.
STAMP := $(VENV)/.requirements.lock.installed
# locust and its gevent stay out of .venv: a separate environment from requirements-bench.txt.
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.requirements-bench.txt.installed
PYTEST_ARGS ?=
# The benchmark's baselines that run inside the registry's process (django-import-export), for
# `make bench` and its quick form in the tests; requirements.lock, which production installs,
# never names them.
BENCH_DJANGO_STAMP := $(VENV)/.requirements-bench-django.txt.installed
PIP := $(PY) -m pip --disable-pip-version-check

.PHONY: run test lint stop venv bench messages hardening backup restore loadtest

run: $(STAMP)
	$(PY) -m gansu_sme.devservices run

test: $(STAMP) $(BENCH_DJANGO_STAMP)
	$(PY) -m gansu_sme.devservices exec -- $(PY) -m pytest $(PYTEST_ARGS)

hardening: $(STAMP) $(BENCH_STAMP)
	$(PY) -m gansu_sme.devservices exec -- $(PY) -m pytest -m hardening $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m mypy

# On the same engines as `make run`, in databases of its own (<name>_demo, <name>_full<N>), kept
# between runs since seeding a million firms takes a quarter of an hour; see docs/PERFORMANCE.md.
BENCH_ENTERPRISES ?= 1000000
BENCH_ARGS ?=
$(BENCH_DJANGO_STAMP): requirements-bench-django.txt $(STAMP)
	$(PIP) install --quiet --no-deps -r requirements-bench-django.txt
	@touch $@

bench: $(STAMP) $(BENCH_DJANGO_STAMP)
	$(PY) -m gansu_sme.devservices exec -- $(PY) -m bench --enterprises $(BENCH_ENTERPRISES) \
		$(if $(BENCH_QUICK),--quick) $(BENCH_ARGS)

BACKUP_DIR ?= backups
backup: $(STAMP)
	$(PY) -m gansu_sme.devservices exec -- $(PY) manage.py backup --output "$(BACKUP_DIR)"

RESTORE_ARGS ?=
restore: $(STAMP)
	@test -n "$(ARCHIVE)" || { echo "usage: make restore ARCHIVE=backups/gansu-sme-....tar"; exit 2; }
	$(PY) -m gansu_sme.devservices exec -- $(PY) manage.py restore "$(ARCHIVE)" $(RESTORE_ARGS)

LOADTEST_ARGS ?=
$(BENCH_STAMP): requirements-bench.txt | $(PY)
	$(PY) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip --disable-pip-version-check install --quiet -r requirements-bench.txt
	@touch $@

loadtest: $(STAMP) $(BENCH_STAMP)
	$(PY) -m gansu_sme.devservices exec -- sh -c '\
		$(PY) manage.py migrate --noinput >/dev/null && \
		$(PY) manage.py load_demo >/dev/null && \
		$(PY) manage.py loadtest --output loadtest/results $(LOADTEST_ARGS)'

# No source locations in the catalogues: a moved line would otherwise touch every entry below it.
messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans -l en --no-location --no-obsolete
	$(PY) manage.py compilemessages -l zh_Hans -l en --ignore=.venv

stop:
	$(PY) -m gansu_sme.devservices stop

venv: $(STAMP)

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.11 not found; run: make PYTHON=/path/to/python3.11"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required, $(PYTHON) is " + sys.version.split()[0] + "; run: make PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock | $(PY)
	$(PIP) install --quiet -r requirements.lock
	@touch $@
