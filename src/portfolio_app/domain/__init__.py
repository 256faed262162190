"""Plain-Python records and rules of the learning log (no database, no Qt)."""
