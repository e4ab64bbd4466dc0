"""Scheduled crawls: which sources are due, one crawl per source at a time, and the crawl history.

Source state (enabled, interval) lives in the `sources` table, so a change made with
`rasad sources enable|disable|set-interval` (or in the sources file) takes effect at the next
scheduler tick, without restarting anything.
"""
