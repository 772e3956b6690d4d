"""The Celery app. Configuration lives in Django settings under CELERY_*."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance.settings")

# Task modules, each owned by one area: reminders and notifiers (deadlines, report rounds), imports,
# exports, jobs, the dashboard's daily tallies.
TASK_MODULES = [
    "tasks.reminders",
    "tasks.report_reminders",
    "tasks.notifiers",
    "tasks.imports",
    "tasks.exports",
    "tasks.jobs",
    "tasks.dashboard",
]

app = Celery("duban")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.include = TASK_MODULES
