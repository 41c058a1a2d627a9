"""The instructor's studio: "My videos" with live status, retry and delete; the upload page; the status API."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from streamer.accounts.roles import Role
from streamer.catalog import videos
from streamer.storage.base import Store
from streamer.storage.records import VideoRecord
from streamer.web.errors import register
from streamer.web.guards import role_required
from streamer.web.templating import templates
from streamer.web.uploads import pipeline

register(videos.NotRetryable, 409)


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def _video(request: Request) -> VideoRecord:
    user = request.user
    admin = getattr(user, "role", "") == Role.ADMIN
    return await videos.video_of(_store(request), request.path_params["video_id"], str(user.id), admin=admin)


@role_required(Role.INSTRUCTOR)
async def my_videos(request: Request) -> Response:
    listed = await _store(request).videos.list_by_owner(str(request.user.id))
    retryable = {video.id for video in listed if await videos.can_retry(pipeline(request), video)}
    context = {"videos": listed, "label": videos.status_label, "retryable": retryable}
    return templates.TemplateResponse(request, "studio/videos.html", context)


@role_required(Role.INSTRUCTOR)
async def upload_page(request: Request) -> Response:
    return templates.TemplateResponse(request, "studio/upload.html", {"max_size": pipeline(request).max_upload_size})


@role_required(Role.INSTRUCTOR)
async def status(request: Request) -> Response:
    view = videos.status_view(await _video(request))
    return JSONResponse(view, headers={"Cache-Control": "no-store"})


@role_required(Role.INSTRUCTOR)
async def retry(request: Request) -> Response:
    await videos.retry_video(_store(request), pipeline(request), await _video(request))
    return RedirectResponse("/studio", status_code=303)


@role_required(Role.INSTRUCTOR)
async def delete(request: Request) -> Response:
    await videos.delete_video(_store(request), pipeline(request), await _video(request))
    return RedirectResponse("/studio", status_code=303)


routes = [
    Route("/studio", my_videos),
    Route("/studio/upload", upload_page),
    Route("/studio/videos/{video_id}/retry", retry, methods=["POST"]),
    Route("/studio/videos/{video_id}/delete", delete, methods=["POST"]),
    Route("/api/videos/{video_id}/status", status),
]
