"""Reusable widgets of the desktop app."""

from portfolio_app.ui.widgets.sector_picker import (
    SectorFilterProxyModel,
    SectorPicker,
    SectorTreeModel,
)

__all__ = ["SectorFilterProxyModel", "SectorPicker", "SectorTreeModel"]
