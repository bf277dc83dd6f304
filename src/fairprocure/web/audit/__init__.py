"""The append-only audit log: uploads, risk decisions, permission changes."""
