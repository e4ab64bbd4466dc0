"""The HTTP API and dashboard: `create_app()` builds the FastAPI application."""
