"""Settings for worker processes started by tests: files for e-mail, a short delivery lease."""

import os

from compliance.settings import *  # noqa: F403

EMAIL_BACKEND = "tasks.tests.slow_mail.SlowFileBackend"
EMAIL_FILE_PATH = os.environ["DUBAN_TEST_MAIL_DIR"]
DUBAN_DELIVERY_LEASE_SECONDS = float(os.environ.get("DUBAN_TEST_LEASE_SECONDS", "540"))
