"""Analytics pages for instructors and the same data as JSON under /api.

Pages: /studio/analytics (every video of the instructor), /studio/{video_id}/analytics (one video),
/studio/{video_id}/analytics/members (who finished what). JSON: /api/analytics/overview,
/api/videos/{video_id}/analytics, /api/videos/{video_id}/analytics/members. `?days=7|28|90|365` (default 28).
Only the video's owner, or an admin, sees a video's analytics.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from streamer.accounts.roles import Role
from streamer.analytics.reports import (
    Overview,
    Span,
    VideoReport,
    last_days,
    member_progress,
    overview,
    video_report,
)
from streamer.storage.errors import NotFound
from streamer.storage.records import VideoRecord
from streamer.web import analytics_view as view
from streamer.web.charts import bar_chart, retention_chart
from streamer.web.guards import role_required
from streamer.web.templating import templates

PERIODS = (7, 28, 90, 365)
NO_STORE = {"Cache-Control": "no-store"}


def _span(request: Request) -> Span:
    wanted = request.query_params.get("days", "28")
    days = int(wanted) if wanted.isdigit() and int(wanted) in PERIODS else 28
    return last_days(datetime.now(UTC).date(), days)


async def _owned_video(request: Request) -> VideoRecord:
    """The video in the path, if the user owns it (admins see all). Raises NotFound or 403."""
    video: VideoRecord | None = await request.app.state.store.videos.get(request.path_params["video_id"])
    if video is None:
        raise NotFound(f"video {request.path_params['video_id']}")
    user = request.user
    if video.owner_id != user.id and user.role != Role.ADMIN:
        raise HTTPException(403, "Only the video's owner can see its analytics.")
    return video


def _count(value: float) -> str:
    return f"{value:,.0f}"


def _charts(report: VideoReport, duration: float) -> dict[str, object]:
    return {
        "retention_svg": retention_chart(report.retention, duration, view.clock),
        "views_svg": bar_chart("Views per day", [(p.day, p.views) for p in report.daily], _count, integer=True),
        "watch_svg": bar_chart(
            "Watch time per day",
            [(p.day, p.watch_time_ms / 60_000) for p in report.daily],
            lambda minutes: view.axis_duration(minutes * 60),
        ),
    }


@role_required(Role.INSTRUCTOR)
async def video_page(request: Request) -> Response:
    video = await _owned_video(request)
    span = _span(request)
    report = await video_report(request.app.state.store, video.id, span)
    context = {
        "video": video,
        "report": report,
        "periods": PERIODS,
        "period": len(span.days),
        "engagement": view.engagement(report.summary),
        "quality": view.quality(report.summary),
        **_charts(report, video.duration),
    }
    return templates.TemplateResponse(request, "analytics/video.html", context)


@role_required(Role.INSTRUCTOR)
async def video_json(request: Request) -> Response:
    video = await _owned_video(request)
    report = await video_report(request.app.state.store, video.id, _span(request))
    return JSONResponse(view.jsonable(report), headers=NO_STORE)


async def _members(request: Request, video: VideoRecord) -> list[dict[str, object]]:
    store = request.app.state.store
    progress = await member_progress(store, video.id)
    names = {user.id: user.display_name for user in await store.users.get_many([p.user_id for p in progress])}
    return [view.jsonable(p) | {"display_name": names.get(p.user_id, p.user_id)} for p in progress]


@role_required(Role.INSTRUCTOR)
async def members_page(request: Request) -> Response:
    video = await _owned_video(request)
    members = await _members(request, video)
    context = {"video": video, "members": members, "duration_text": view.duration_text}
    return templates.TemplateResponse(request, "analytics/members.html", context)


@role_required(Role.INSTRUCTOR)
async def members_json(request: Request) -> Response:
    video = await _owned_video(request)
    return JSONResponse({"video_id": video.id, "members": await _members(request, video)}, headers=NO_STORE)


async def _overview(request: Request) -> tuple[list[VideoRecord], Span, Overview]:
    store = request.app.state.store
    videos = await store.videos.list_by_owner(request.user.id)
    span = _span(request)
    return videos, span, await overview(store, [video.id for video in videos], span)


@role_required(Role.INSTRUCTOR)
async def overview_page(request: Request) -> Response:
    videos, span, result = await _overview(request)
    context = {
        "rows": list(zip(videos, result.videos, strict=True)),
        "periods": PERIODS,
        "period": len(span.days),
        "views_svg": bar_chart(
            "Views per day, all videos", [(p.day, p.views) for p in result.daily], _count, integer=True
        ),
        "duration_text": view.duration_text,
        "percent": view.percent,
    }
    return templates.TemplateResponse(request, "analytics/overview.html", context)


@role_required(Role.INSTRUCTOR)
async def overview_json(request: Request) -> Response:
    videos, _, result = await _overview(request)
    data = view.jsonable(result)
    for entry, video in zip(data["videos"], videos, strict=True):
        entry["title"] = video.title
    return JSONResponse(data, headers=NO_STORE)


routes = [
    Route("/studio/analytics", overview_page),
    Route("/studio/{video_id}/analytics", video_page),
    Route("/studio/{video_id}/analytics/members", members_page),
    Route("/api/analytics/overview", overview_json),
    Route("/api/videos/{video_id}/analytics", video_json),
    Route("/api/videos/{video_id}/analytics/members", members_json),
]
