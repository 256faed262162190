"""Charts drawn once with reportlab.graphics, for the screen (as SVG) and the PDF alike.

Neutral ground below export and ui: the dashboard shows exactly what the PDF prints. Nothing is
imported here, so that importing the package costs nothing; import the modules (score_charts,
fonts, palette) where a chart is drawn, which loads reportlab only then.
"""
