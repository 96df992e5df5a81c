"""Innovation climate: statistics, Swedish tables and figures."""
