from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
import pytest_asyncio

from streamer.memberships.grants import grant
from streamer.storage.base import Store
from streamer.storage.records import CourseRecord, UserRecord, VideoRecord, VideoStatus, Visibility, new_id, utcnow
from streamer.web.app import create_app
from tests.analytics.beats import store_view
from tests.browser_session import log_in
from tests.conftest import TEST_PASSWORD, make_user, settings_for


@dataclass
class Catalog:
    """An in-process app on the module's store; progress comes from views stored as the heartbeat ingest does."""

    client: httpx.AsyncClient
    store: Store
    _views: int = field(default=0)

    async def user(self, role: str = "member", *, member: bool = False) -> UserRecord:
        """A verified user made by User.create_user (password TEST_PASSWORD); `member`: granted a membership."""
        user = await make_user(self.store, role)
        if member:
            await grant(self.store, user.id, 30, by="tests")
        return user

    async def act_as(self, user: UserRecord | None) -> None:
        """Log the client out (POST /logout), then in as `user` through POST /login unless it is None."""
        if "X-CSRF-Token" in self.client.headers:
            assert (await self.client.post("/logout")).status_code == 303
            del self.client.headers["X-CSRF-Token"]
        if user is not None:
            await log_in(self.client, user.email, TEST_PASSWORD)

    async def watched(
        self, user: UserRecord, video: VideoRecord, position: float, duration: float, finished: bool = False
    ) -> None:
        """`user` watched `video` up to `position` (to its end when `finished`); later calls are newer."""
        self._views += 1
        at = utcnow() + timedelta(milliseconds=self._views)
        await store_view(self.store, video.id, user.id, position, duration, at, ended=finished)

    async def video(
        self,
        owner: UserRecord,
        title: str,
        visibility: Visibility = Visibility.MEMBERS,
        minutes_ago: float = 0,
        **fields: object,
    ) -> VideoRecord:
        moment = utcnow() - timedelta(minutes=minutes_ago)
        video = VideoRecord(
            id=new_id(),
            owner_id=owner.id,
            title=title,
            status=VideoStatus.READY,
            created_at=moment,
            updated_at=moment,
            visibility=visibility,
            **fields,
        )  # type: ignore[arg-type]
        await self.store.videos.create(video)
        return video

    async def course(
        self, owner: UserRecord, title: str, videos: list[VideoRecord], visibility: Visibility = Visibility.MEMBERS
    ) -> CourseRecord:
        now = utcnow()
        course = CourseRecord(
            id=new_id(),
            owner_id=owner.id,
            title=title,
            created_at=now,
            updated_at=now,
            visibility=visibility,
            video_ids=tuple(v.id for v in videos),
        )
        await self.store.courses.create(course)
        return course


@pytest_asyncio.fixture
async def catalog(store: Store, tmp_path: Path) -> AsyncIterator[Catalog]:
    app = create_app(settings_for("sqlite", tmp_path), store=store)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        yield Catalog(client, store)
