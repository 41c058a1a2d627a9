"""`streamer worker`: claims transcode jobs with a lease and drives the transcoder (see docs/pipeline.md)."""
