"""`python -m tests.app_server FD`: the real app (real session logins, real CSRF) under uvicorn on an inherited
listening socket. Settings come from STREAMER_* in the environment."""

from __future__ import annotations

import sys

import uvicorn

from streamer.settings import load_settings
from streamer.web.app import create_app


def main() -> None:
    app = create_app(load_settings())
    uvicorn.run(app, fd=int(sys.argv[1]), log_level="warning", timeout_graceful_shutdown=2)


if __name__ == "__main__":
    main()
