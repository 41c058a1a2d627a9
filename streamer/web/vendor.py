"""Browser libraries from npm, served straight out of node_modules (installed by `make`, never in git)."""

from __future__ import annotations

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from streamer.web.templating import ROOT

NODE_MODULES = ROOT / "node_modules"
# URL name -> the package's folder of browser builds
PACKAGES = {"tus-js-client": "tus-js-client/dist", "hls.js": "hls.js/dist", "vimeo-player": "@vimeo/player/dist"}

routes = [
    Mount(f"/static/vendor/{name}", app=StaticFiles(directory=NODE_MODULES / folder, check_dir=False))
    for name, folder in PACKAGES.items()
]
