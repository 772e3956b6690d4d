"""Settings for the scale-out run (benchmarks/scaleout/run.py): Duban's, on a compressed clock.

Production waits an hour for Redis to deliver again the message of a killed worker (the
visibility timeout) and 17 minutes before calling a running job lost; a run of a few minutes
cannot. The same rules hold here at a smaller scale, in the same order:
job soft limit < hard limit (soft + 60 s) < stale-job limit < visibility timeout,
so a job is never delivered twice while its first runner is alive. Every periodic task fires
every minute (slot of 60 s) so that a second beat has something to duplicate during the run.
Mail goes to files under SCALEOUT_MAIL_DIR.
"""

import os

from celery.schedules import crontab

from compliance.settings import *  # noqa: F403
from compliance.settings import CELERY_BEAT_SCHEDULE as _SCHEDULE
from compliance.settings import CELERY_BROKER_TRANSPORT_OPTIONS as _TRANSPORT

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **_TRANSPORT,
    "visibility_timeout": int(os.environ.get("SCALEOUT_VISIBILITY_TIMEOUT", "200")),
}
# Every periodic task each minute, its slot a minute and its message expiring after half of it,
# as production's entries do with their own slots (compliance/settings.py).
CELERY_BEAT_SCHEDULE = {
    name: {
        **entry,
        "schedule": crontab(minute="*"),
        "kwargs": {**entry.get("kwargs", {}), "slot_seconds": 60},
        "options": {**entry.get("options", {}), "expires": 30},
    }
    for name, entry in _SCHEDULE.items()
}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("SCALEOUT_MAIL_DIR", "var/scaleout/mail")
