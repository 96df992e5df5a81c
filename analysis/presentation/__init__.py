"""Presentation helpers: Swedish number formatting, plot style, Markdown and table display."""
