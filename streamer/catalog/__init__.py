"""Catalog: video details, visibility, courses, search, home listings and external-host videos."""
