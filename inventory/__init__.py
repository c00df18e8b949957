"""inventory: the source of truth."""
