"""Feedback to the municipalities: figures beside the region's, poster statements, tables and figures."""
