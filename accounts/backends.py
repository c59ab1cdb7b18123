"""The login-throttling authentication backend."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class ThrottledLoginBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for every login that comes over HTTP.

    django-axes refuses ``authenticate()`` calls without a request. Web
    logins (the login form, the admin) always pass one and are throttled;
    calls without a request come from code running on the server (the
    shell, management commands, the test client's ``login()``), which an
    attacker cannot reach, so they are left to the next backend.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(
            request, username=username, password=password, **kwargs
        )
