#!/usr/bin/env bash
# The Django fixtures of tests/it/migrate are Django's own output, not imitations: the models
# in library/models.py, the migrations `makemigrations` made from them (library/migrations/),
# and sql/*.sql = `django-admin sqlmigrate library N` for each, which this script writes.
#
#   tests/django/regenerate.sh          rewrite sql/*.sql
#   tests/django/regenerate.sh --check  fail if sql/*.sql differ from what Django writes now
#
# Needs Python 3 and the package index (Django is installed into a throwaway virtualenv).
set -euo pipefail
cd "$(dirname "$0")"
django=5.1.4
venv=${DJANGO_VENV:-${TMPDIR:-/tmp}/libsql-shell-django-$django}
if [ ! -x "$venv/bin/django-admin" ]; then
  if ! { python3 -m venv "$venv" &&
         "$venv/bin/pip" install --quiet --disable-pip-version-check "django==$django"; }; then
    rm -rf "$venv"
    if [ "${1:-}" = "--check" ]; then
      # No package index here: nothing is known to be wrong with the fixtures.
      echo "notice: Django $django could not be installed; fixtures not re-checked" >&2
      exit 0
    fi
    exit 1
  fi
fi
out=sql
if [ "${1:-}" = "--check" ]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
export PYTHONPATH=. DJANGO_SETTINGS_MODULE=settings PYTHONDONTWRITEBYTECODE=1
for f in library/migrations/0*.py; do
  name=$(basename "$f" .py)
  "$venv/bin/django-admin" sqlmigrate library "${name%%_*}" > "$out/$name.sql"
done
if [ "${1:-}" = "--check" ]; then
  diff -r sql "$out"
  echo "tests/django/sql matches Django $django's sqlmigrate"
fi
