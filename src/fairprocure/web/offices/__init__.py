"""Organisation structure: the organisation and its offices (executive structures, field operations)."""
