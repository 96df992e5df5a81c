"""The idea inventory and its figure."""
