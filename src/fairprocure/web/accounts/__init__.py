"""Users, their roles and offices, API tokens, and the one permission check every view uses."""
