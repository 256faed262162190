"""Qt item models (and their filter proxies) over the services' records."""
