"""Player analytics: the heartbeat protocol, view tokens, ingest, rollups and the metrics read from them.

See docs/analytics.md for the protocol and the definition of every metric.
"""
