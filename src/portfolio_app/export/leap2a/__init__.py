"""The Leap2A package: the e-portfolio interchange format (an Atom feed `leap2a.xml` and the
evidence files in `files/`, in one zip) that institutional e-portfolios such as Mahara import.

`export_leap2a(services, Leap2AOptions(...), path)`. What goes in is what
`portfolio_app.export.selection` (the one rule for every export) lets an export contain;
`feed` turns it into Leap2A items, `package` writes the zip, `vocabulary` holds the Leap2A terms
and `names` the ids and file names. See docs/leap2a-export.md.
"""

from portfolio_app.export.leap2a.package import Leap2AOptions, Leap2AResult, export_leap2a

__all__ = ["Leap2AOptions", "Leap2AResult", "export_leap2a"]
