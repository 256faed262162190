"""Errors a user can cause and fix; their text is shown as it is."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal with a clear reason (missing profile, in use, not found...)."""


class NotFound(ServiceError):
    pass


class ProfileMissing(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            "no profile is set up yet: run 'portfolio-app init' or open the app to set one up"
        )


class ProfileExists(ServiceError):
    pass
