"""The headless command line: the same services as the desktop app, for scripts, IT and HR."""
