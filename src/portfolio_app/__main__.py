"""Allow `python -m portfolio_app`."""

from portfolio_app.cli.main import main

raise SystemExit(main())
