"""Videos and what happens to them: uploads, ingest, the transcode queue, details, visibility, courses,
search, home listings and external-host videos. Never imports starlette."""
