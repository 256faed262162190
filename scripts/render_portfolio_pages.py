"""Render pages 1 and 2 of the demo portfolio to PNG, as examples for the documentation.

The demo data is built in a temporary folder for 1 November 2026 and exported as on that day, so
the images only change when the document's layout does. The temporary data dir is encrypted like
every Portfolio database, under the published passphrase DEMO_PASSPHRASE below (made-up data,
deleted at the end, never remembered on the device). Needs poppler's `pdftoppm`
(Debian/Ubuntu: apt-get install poppler-utils; macOS: brew install poppler).

Usage: python scripts/render_portfolio_pages.py [OUT_DIR]   (default: docs/images)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from portfolio_app.export.pdf import ExportOptions, export_pdf
from portfolio_app.export.periods import last_twelve_months
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services, vault
from portfolio_app.services.sample_data import populate_demo

DEMO_TODAY = date(2026, 11, 1)
PAGES = (1, 2)
DPI = 110
DEMO_PASSPHRASE = "portfolio demo data"


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else Path("docs/images")
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("pdftoppm not found: install poppler-utils", file=sys.stderr)
        return 1
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = AppPaths(root / "demo")
        key = vault.set_up(paths, DEMO_PASSPHRASE, remember=False).data_key
        services = open_services(paths, key=key)
        try:
            populate_demo(services, DEMO_TODAY)
            options = ExportOptions(
                last_twelve_months(DEMO_TODAY), export_date=DEMO_TODAY, reproducible=True
            )
            pdf = root / "portfolio.pdf"
            result = export_pdf(services, options, pdf)
        finally:
            services.close()
        print(f"exported the demo portfolio: {result.pages} pages")
        for page in PAGES:
            target = out_dir / f"portfolio-page-{page}"
            pages = ["-f", str(page), "-l", str(page), "-singlefile"]
            subprocess.run(
                [pdftoppm, "-png", "-r", str(DPI), *pages, str(pdf), str(target)], check=True
            )
            print(f"wrote {target}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
