"""Screenings: an uploaded file for an office, screened by a background job that survives restarts."""
