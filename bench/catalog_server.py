"""The app as the catalog benchmark serves it: real routes, the real session login and membership check (wrk
sends the cookie of the member bench.catalog seeded), plus a trivial baseline endpoint."""

from __future__ import annotations

import sys

import uvicorn
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from streamer.settings import load_settings
from streamer.web.app import create_app


async def trivial(request: Request) -> Response:
    return PlainTextResponse("ok")


def main(port: int) -> None:
    app = create_app(load_settings())
    app.router.routes.insert(0, Route("/bench/trivial", trivial))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main(int(sys.argv[1]))
