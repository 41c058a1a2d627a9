"""Delivery through nginx: effective tunables, config rendering, checking, applying with history, reloading."""
