"""Read models shared by the HTTP API, the CLI and the dashboard: filters in, plain dicts out."""
