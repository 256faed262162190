"""The Breadth dashboard: the score, its sectors, trend, gaps and development goals."""
