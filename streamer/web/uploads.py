"""tus 1.0.0 at /uploads/: core, creation, termination and expiration. Instructors and admins only, checked
before a byte of the body is read. The protocol work lives in streamer.catalog.uploads."""

from __future__ import annotations

from email.utils import format_datetime

from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from streamer.accounts.roles import Role, at_least
from streamer.catalog import uploads
from streamer.catalog.config import PipelineConfig
from streamer.storage.base import Store
from streamer.storage.uploads import UploadRecord
from streamer.web.errors import exception_handlers, register

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,termination,expiration"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"

register(uploads.UploadNotFound, 404)
register(uploads.UploadExpired, 410)
register(uploads.OffsetMismatch, 409)
register(uploads.UploadTooLarge, 413)
register(uploads.UploadBusy, 423)
register(uploads.InvalidUpload, 400)


def pipeline(request: Request) -> PipelineConfig:
    """The pipeline settings of this app, built once."""
    state = request.app.state
    if getattr(state, "pipeline", None) is None:
        state.pipeline = PipelineConfig.from_settings(state.settings)
    config: PipelineConfig = state.pipeline
    return config


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _uploader(request: Request) -> str:
    """The user id of an instructor or admin; 401/403 otherwise. Also requires `Tus-Resumable: 1.0.0`."""
    if request.headers.get("tus-resumable") != TUS_VERSION:
        raise HTTPException(412, f"This server speaks tus {TUS_VERSION}; send Tus-Resumable: {TUS_VERSION}")
    user = request.user
    if not user.is_authenticated:
        raise HTTPException(401, "Log in to upload.")
    if not at_least(getattr(user, "role", ""), Role.INSTRUCTOR):
        raise HTTPException(403, "Only instructors can upload videos.")
    return str(user.id)


def _int_header(request: Request, name: str, *, required: bool) -> int | None:
    value = request.headers.get(name)
    if value is None and not required:
        return None
    if value is None or not value.isdigit():
        raise HTTPException(400, f"{name} must be a non-negative integer")
    return int(value)


def _expires(upload: UploadRecord) -> dict[str, str]:
    return {"Upload-Expires": format_datetime(upload.expires_at, usegmt=True)}


async def options(request: Request) -> Response:
    headers = {
        "Tus-Version": TUS_VERSION,
        "Tus-Extension": EXTENSIONS,
        "Tus-Max-Size": str(pipeline(request).max_upload_size),
    }
    return Response(status_code=204, headers=headers)


async def create(request: Request) -> Response:
    owner = _uploader(request)
    length = _int_header(request, "upload-length", required=True)
    assert length is not None
    metadata = request.headers.get("upload-metadata", "")
    upload = await uploads.create_upload(_store(request), pipeline(request), owner, length, metadata)
    headers = {"Location": f"/uploads/{upload.id}", "Upload-Offset": "0", **_expires(upload)}
    return Response(status_code=201, headers=headers)


async def head(request: Request) -> Response:
    upload = await _find(request)
    headers = {"Upload-Offset": str(upload.offset), "Upload-Length": str(upload.length), "Cache-Control": "no-store"}
    if upload.metadata:
        headers["Upload-Metadata"] = upload.metadata
    return Response(status_code=200, headers=headers | _expires(upload))


async def patch(request: Request) -> Response:
    owner = _uploader(request)
    if request.headers.get("content-type", "").split(";")[0].strip() != OFFSET_CONTENT_TYPE:
        raise HTTPException(415, f"PATCH bodies must be {OFFSET_CONTENT_TYPE}")
    offset = _int_header(request, "upload-offset", required=True)
    declared = _int_header(request, "content-length", required=False)
    store, config = _store(request), pipeline(request)
    upload = await uploads.find_upload(store, config, owner, request.path_params["upload_id"])
    try:
        upload = await uploads.receive(store, config, upload, offset or 0, request.stream(), declared)
    except ClientDisconnect:
        return Response(status_code=400)  # nobody is listening; the bytes that arrived are kept
    return Response(status_code=204, headers={"Upload-Offset": str(upload.offset), **_expires(upload)})


async def delete(request: Request) -> Response:
    upload = await _find(request)
    await uploads.terminate(_store(request), pipeline(request), upload)
    return Response(status_code=204)


async def _find(request: Request) -> UploadRecord:
    owner = _uploader(request)
    return await uploads.find_upload(_store(request), pipeline(request), owner, request.path_params["upload_id"])


async def resource(request: Request) -> Response:
    handlers = {"HEAD": head, "PATCH": patch, "DELETE": delete, "OPTIONS": options}
    return await handlers[request.method](request)


async def collection(request: Request) -> Response:
    return await (create if request.method == "POST" else options)(request)


class TusHeaders:
    """Every response under /uploads carries Tus-Resumable (and a 412 the version we speak), error pages too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_tus(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"tus-resumable", TUS_VERSION.encode()))
                if message["status"] == 412:
                    headers.append((b"tus-version", TUS_VERSION.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_tus)


routes = [
    Mount(
        "/uploads",
        routes=[
            Route("/", collection, methods=["POST", "OPTIONS"]),
            Route("/{upload_id}", resource, methods=["HEAD", "PATCH", "DELETE", "OPTIONS"]),
        ],
        middleware=[Middleware(TusHeaders), Middleware(ExceptionMiddleware, handlers=exception_handlers())],
    )
]
