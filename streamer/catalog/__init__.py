"""Videos and what happens to them: uploads, ingest, the transcode queue, details, visibility, courses and search.

Never imports starlette."""
