"""Celery app and tasks: thin wrappers over plain functions in `workers.processing`."""
