"""The dashboard: per office and organisation-wide, from pre-aggregated statistics."""
