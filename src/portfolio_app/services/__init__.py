"""Use cases of the learning log. Each public method is one transaction; UI and CLI call these."""

from portfolio_app.services.context import AppServices, open_services
from portfolio_app.services.errors import NotFound, ServiceError

__all__ = ["AppServices", "NotFound", "ServiceError", "open_services"]
