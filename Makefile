# Duban: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test deps lint messages

$(PY):
	$(PYTHON) -m venv $(VENV)

# requirements-ocr.txt is the optional OCR extra (scanned PDFs and images); run and test use it.
$(VENV)/.deps: requirements.txt requirements-dev.txt requirements-ocr.txt requirements-ldap.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt -r requirements-ocr.txt
	@# The LDAP extra compiles python-ldap: only where the OpenLDAP/SASL headers are installed.
	@if [ -f /usr/include/ldap.h ] && [ -f /usr/include/sasl/sasl.h ]; then \
		$(PY) -m pip install --quiet -r requirements-ldap.txt; \
	else \
		echo "LDAP sign-in not installed (optional): apt-get install libldap2-dev libsasl2-dev, then make deps"; \
	fi
	touch $@

deps: $(VENV)/.deps

# rundev decides the broker (Redis, or the embedded file queue) first, then migrates, loads the demo
# data and collects static files with that decision, and starts the web server, worker and beat.
run: deps
	$(PY) manage.py rundev

# Two pytest-xdist workers by default (CI's machine has two cores): PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2

test: deps lint
	$(PY) manage.py check
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# ruff's rules and format live in pyproject.toml; CI fails on either.
LINT_PATHS := compliance tasks benchmarks conftest.py manage.py
lint: deps
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)

# Refresh the English catalogue after adding or changing marked strings, then translate the empty
# msgstr entries in compliance/locale/en/LC_MESSAGES/django.po and run this again to compile.
messages: deps
	$(PY) manage.py makemessages -l en --no-location --no-obsolete --ignore=.venv --ignore=node_modules \
		--ignore=staticfiles --ignore=var --ignore=screenshots
	cd compliance && ../$(PY) ../manage.py compilemessages -l en
