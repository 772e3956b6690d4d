"""A file e-mail backend that pauses after each send, so a test can kill a worker mid-delivery."""

from __future__ import annotations

import os
import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        # The message is on disk; the ledger row is not yet marked sent while we sleep.
        time.sleep(float(os.environ.get("DUBAN_TEST_SEND_DELAY", "0")))
        return sent
