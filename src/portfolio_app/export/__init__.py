"""Exports of the portfolio for other people to read (the PDF for appraisal)."""
