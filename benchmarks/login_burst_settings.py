"""Settings for bench_login_burst.py: Duban's, or with Django's default hashers (the behaviour before)."""

import os

from compliance.settings import *  # noqa: F403

if os.environ.get("BENCH_HASHERS") == "django-default":
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]
