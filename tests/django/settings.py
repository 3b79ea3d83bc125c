# The smallest Django project that produces the migration fixtures of tests/it/migrate
# (see regenerate.sh). Not part of the shell.
SECRET_KEY = "only-used-to-generate-test-fixtures"
INSTALLED_APPS = ["library"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
