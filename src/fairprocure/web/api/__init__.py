"""The REST API under /api/ (django-ninja); its OpenAPI schema is served at /api/openapi.json."""
