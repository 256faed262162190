"""Portfolio: a private learning log that credits cross-sector work in local public services."""

__version__ = "0.1.0"
APP_NAME = "Portfolio"
APP_ID = "portfolio-app"
