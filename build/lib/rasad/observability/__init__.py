"""Logs, metrics and health: what an operator needs to trust the service on a bad day."""
