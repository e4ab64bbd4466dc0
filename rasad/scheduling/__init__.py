"""Adaptive polling, the domain part: how soon an outlet should be crawled again, from what it published.

The scheduler that applies it lives in `workers.scheduling`; each source's state (enabled, interval,
last crawl) in the store (`db.source_timing`, `db.source_admin`).
"""
