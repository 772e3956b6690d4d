"""Login lockout (django-axes) in front of every password check, out of the way of everything else."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuse password logins that a lock or a progressive delay holds back.

    Axes needs the request to record and check attempts. Calls without one (management
    commands, Django's test client ``login()``) cannot come from the login form or the API, and
    calls without a password (a CAS ticket) are no password guesses: both skip the check and
    fall through to the backends that authenticate.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or password is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
