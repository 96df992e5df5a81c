"""Report orchestration: processed outputs, publications ledger and attacker, checks, notebook execution, freeze, render, document checks, feedback documents."""
