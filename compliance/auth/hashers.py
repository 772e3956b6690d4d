"""Password hashing that a burst of logins cannot turn into an outage.

Two measures (figures in docs/benchmarks.md):

* **A cheaper, memory-hard hasher.** Argon2id with 19 MiB, two passes, one lane (the minimum
  OWASP recommends) costs a few tens of milliseconds where Django 5.2's PBKDF2 (1,000,000
  iterations) costs close to a second of CPU. Stored PBKDF2 hashes still verify and are re-hashed
  with Argon2id at the user's next login.
* **Bounded concurrency.** At most ``DUBAN_PASSWORD_HASH_CONCURRENCY`` hashes run at once on a
  host, whatever the number of web processes and threads: the other cores keep serving pages
  while logins queue. A login that cannot get a slot within ``DUBAN_PASSWORD_HASH_WAIT_SECONDS``
  is answered 503 with ``Retry-After`` (and is not counted as a failed login).

The slots are lock files (``fcntl.flock``) in ``DUBAN_PASSWORD_HASH_LOCK_DIR``, so they bind
every process on the host and are released by the kernel if a process dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import random
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException


class PasswordCheckBusy(APIException):
    """Every hashing slot stayed busy for the whole wait: try again shortly (503)."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "login_busy"
    default_detail = _("登录人数较多，请稍后再试。")
    wait = 2


_local = threading.local()


def _lock_dir() -> Path:
    configured = settings.DUBAN_PASSWORD_HASH_LOCK_DIR
    if configured:
        return Path(configured)
    # One set of slots per installation (per project folder) on a host.
    tag = hashlib.sha256(str(settings.BASE_DIR).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"duban-hash-slots-{tag}"


@contextlib.contextmanager
def hashing_slot() -> Iterator[None]:
    """Hold one of the host's hashing slots (re-entrant within a thread)."""
    slots = settings.DUBAN_PASSWORD_HASH_CONCURRENCY
    if slots <= 0 or getattr(_local, "held", False):
        yield
        return
    directory = _lock_dir()
    directory.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + settings.DUBAN_PASSWORD_HASH_WAIT_SECONDS
    fds = [os.open(directory / f"slot-{i}", os.O_RDWR | os.O_CREAT, 0o600) for i in range(slots)]
    held = None
    try:
        while held is None:
            for fd in random.sample(fds, len(fds)):
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
                held = fd
                break
            if held is None:
                if time.monotonic() >= deadline:
                    raise PasswordCheckBusy()
                time.sleep(0.002 + random.random() * 0.006)
        _local.held = True
        yield
    finally:
        if held is not None:
            _local.held = False
            fcntl.flock(held, fcntl.LOCK_UN)
        for fd in fds:
            os.close(fd)


class BoundedHasherMixin:
    """Run encode and verify inside a hashing slot."""

    def encode(self, password, salt, *args, **kwargs):
        with hashing_slot():
            return super().encode(password, salt, *args, **kwargs)

    def verify(self, password, encoded):
        with hashing_slot():
            return super().verify(password, encoded)


class Argon2idHasher(BoundedHasherMixin, Argon2PasswordHasher):
    """Argon2id, m = 19 MiB, t = 2, p = 1; hashes stored with other parameters are upgraded at login."""

    time_cost = 2
    memory_cost = 19456  # KiB
    parallelism = 1


class LegacyPBKDF2Hasher(BoundedHasherMixin, PBKDF2PasswordHasher):
    """Verifies the PBKDF2 hashes stored before Argon2id (same algorithm name, so same hashes)."""
