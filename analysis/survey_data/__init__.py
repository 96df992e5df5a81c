"""Survey data in: codebooks, export reading and checks, loading, published figures, reconciliation, the synthetic twin, the microdata guard."""
