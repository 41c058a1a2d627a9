"""Videos and what happens to them: uploads, ingest, the transcode job queue. Never imports starlette."""
