"""Sparsity: distances, empty land and maps (static and interactive)."""
