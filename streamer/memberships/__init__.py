"""Who may watch what: plans, memberships from Stripe, admin grants and invite codes.

The playback and watch code asks `streamer.memberships.access.has_access`; see docs/memberships.md.
"""
