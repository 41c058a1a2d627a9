"""Studio pages where instructors edit video details, add videos by URL and build courses."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from streamer.accounts.roles import Role
from streamer.catalog import courses
from streamer.catalog.details import editable_video, update_details
from streamer.catalog.errors import InvalidInput, StaleCourse
from streamer.catalog.external import ACCEPTED, add_external_video
from streamer.catalog.visibility import Viewer
from streamer.storage.records import Visibility
from streamer.web.catalog_context import form_of, int_field, path_id, store_of, viewer_of
from streamer.web.guards import role_required
from streamer.web.templating import templates

instructor = role_required(Role.INSTRUCTOR)
VISIBILITIES = [v.value for v in Visibility]


def _see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def _form_page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    return templates.TemplateResponse(
        request, name, {"visibilities": VISIBILITIES, "errors": {}, **context}, status_code=status
    )


@instructor
async def edit_video(request: Request) -> Response:
    viewer = await viewer_of(request)
    video = await editable_video(store_of(request), viewer, path_id(request))
    if request.method == "GET":
        return _form_page(request, "catalog/studio_video.html", {"video": video, "form": None})
    form = await form_of(request)
    try:
        await update_details(store_of(request), viewer, video.id, form)
    except InvalidInput as error:
        context = {"video": video, "form": form, "errors": error.fields}
        return _form_page(request, "catalog/studio_video.html", context, 400)
    return _see_other(f"/videos/{video.id}")


@instructor
async def add_url(request: Request) -> Response:
    viewer = await viewer_of(request)
    if request.method == "GET":
        return _form_page(request, "catalog/studio_add_url.html", {"form": {}, "accepted": ACCEPTED})
    form = await form_of(request)
    try:
        visibility = Visibility(form.get("visibility", "members"))
        video = await add_external_video(
            store_of(request), str(viewer.id), form.get("url", ""), form.get("title", ""), visibility
        )
    except (InvalidInput, ValueError) as error:
        errors = error.fields if isinstance(error, InvalidInput) else {"visibility": "Choose a visibility."}
        context = {"form": form, "errors": errors, "accepted": ACCEPTED}
        return _form_page(request, "catalog/studio_add_url.html", context, 400)
    return _see_other(f"/studio/videos/{video.id}/edit")


@instructor
async def course_list(request: Request) -> Response:
    viewer = await viewer_of(request)
    store = store_of(request)
    if request.method == "POST":
        form = await form_of(request)
        try:
            course = await courses.create_course(store, viewer, form)
        except InvalidInput as error:
            mine = await store.courses.list_by_owner(str(viewer.id))
            context = {"courses": mine, "form": form, "errors": error.fields}
            return _form_page(request, "catalog/studio_courses.html", context, 400)
        return _see_other(f"/studio/courses/{course.id}")
    mine = await store.courses.list_by_owner(str(viewer.id))
    return _form_page(request, "catalog/studio_courses.html", {"courses": mine, "form": {}})


async def _course_editor(
    request: Request, viewer: Viewer, form: Any = None, errors: Any = None, status: int = 400
) -> Response:
    store = store_of(request)
    course = await courses.editable_course(store, viewer, path_id(request))
    owner_videos = await store.videos.list_by_owner(course.owner_id)
    titles = {video.id: video.title for video in owner_videos}
    for video_id in course.video_ids:
        if video_id not in titles:
            video = await store.videos.get(video_id)
            titles[video_id] = video.title if video else "(deleted video)"
    context = {"course": course, "titles": titles, "candidates": owner_videos, "form": form, "errors": errors or {}}
    return _form_page(request, "catalog/studio_course.html", context, status if errors else 200)


@instructor
async def edit_course(request: Request) -> Response:
    viewer = await viewer_of(request)
    if request.method == "GET":
        return await _course_editor(request, viewer)
    form = await form_of(request)
    names = ("title", "description", "visibility", "cover_video_id")
    fields: dict[str, str] = {key: form[key] for key in names if key in form}
    try:
        await courses.update_course(store_of(request), viewer, path_id(request), fields, int_field(form, "version"))
    except InvalidInput as error:
        return await _course_editor(request, viewer, form, error.fields)
    except StaleCourse as error:
        return await _course_editor(request, viewer, form, {"form": str(error)}, 409)
    return _see_other(f"/studio/courses/{path_id(request)}")


@instructor
async def change_lessons(request: Request) -> Response:
    """One lesson action: add, remove, move up/down, or a whole new order (`order`: ids, comma-separated)."""
    viewer = await viewer_of(request)
    store, course_id = store_of(request), path_id(request)
    form = await form_of(request)
    version, action, video_id = int_field(form, "version"), form.get("action", ""), form.get("video_id", "")
    try:
        if action == "add":
            await courses.add_lesson(store, viewer, course_id, video_id, version)
        elif action == "remove":
            await courses.remove_lesson(store, viewer, course_id, video_id, version)
        elif action in ("up", "down"):
            await courses.move_lesson(store, viewer, course_id, video_id, -1 if action == "up" else 1, version)
        elif action == "order":
            order = [part for part in form.get("order", "").split(",") if part]
            await courses.reorder_lessons(store, viewer, course_id, order, version)
        else:
            raise InvalidInput({"action": "Unknown lesson action."})
    except InvalidInput as error:
        return await _course_editor(request, viewer, None, error.fields)
    except StaleCourse as error:
        return await _course_editor(request, viewer, None, {"form": str(error)}, 409)
    return _see_other(f"/studio/courses/{course_id}")


@instructor
async def delete_course(request: Request) -> Response:
    viewer = await viewer_of(request)
    course = await courses.editable_course(store_of(request), viewer, path_id(request))
    await store_of(request).courses.delete(course.id)
    return _see_other("/studio/courses")


routes: list[BaseRoute] = [
    Route("/studio/videos/add-url", add_url, methods=["GET", "POST"]),
    Route("/studio/videos/{id}/edit", edit_video, methods=["GET", "POST"]),
    Route("/studio/courses", course_list, methods=["GET", "POST"]),
    Route("/studio/courses/{id}", edit_course, methods=["GET", "POST"]),
    Route("/studio/courses/{id}/lessons", change_lessons, methods=["POST"]),
    Route("/studio/courses/{id}/delete", delete_course, methods=["POST"]),
]
