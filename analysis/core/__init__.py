"""Core: file locations, errors, atomic files, settings, config schemas, statistics and disclosure rules."""
