"""Login lockout (django-axes) that stays out of the way of callers without a request."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuse logins for a username locked out after repeated failures.

    Axes needs the request to record and check attempts. Calls without one (management
    commands, Django's test client ``login()``) cannot come from the login form or the
    API, so they skip the lockout check and fall through to ModelBackend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
