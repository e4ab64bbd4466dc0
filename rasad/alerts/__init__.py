"""Alerts, the domain part: what a subscriber wants and what is sent to them.

Modules: `rules` (what a subscriber wants), `targets` (validating URLs and addresses),
`messages` and `channels` (what is sent, and how), `digest` (when), `signing` (webhook
signatures), `config` (their settings). The store side lives in `db.alert_rows` and `db.stories`;
the pipeline's alert step and deliveries in `workers.alerting`, which the tasks call.
"""
