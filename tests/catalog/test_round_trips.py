"""How many statements a home page, a search and a course page send to the store, on each backend: a fixed
number, however many videos the member watched, courses exist or lessons they hold (no N+1 lookups).

The budget of a logged-in member's request: the session and its user (2), the membership check (SQLite 1;
Cassandra 2: the user's index, then the memberships `IN` it). The member's watch history with its resume
positions is one read on both backends (Cassandra: the member's `member_videos` partition, which carries the
positions since migration 0420), however many videos they watched."""

from __future__ import annotations

import httpx

from streamer.storage.records import UserRecord, VideoRecord, Visibility
from tests.catalog.conftest import Catalog
from tests.round_trips import RoundTrips, backend_of, count_round_trips

SESSION_AND_MEMBERSHIP = {"sqlite": 2 + 1, "cassandra": 2 + 2}
# continue watching (the history, then its videos at once), courses, newest videos (Cassandra: the months
# of each audience, one month of each, then the videos at once)
HOME = {"sqlite": 1 + 1 + 1 + 1, "cassandra": 1 + 1 + 2 + (2 * 2 + 1)}
SEARCH = {"sqlite": 1, "cassandra": 1}
# the course, its lessons at once, the member's resume positions
COURSE = {"sqlite": 1 + 1 + 1, "cassandra": 1 + 1 + 1}


async def trips_of(catalog: Catalog, path: str) -> RoundTrips:
    await catalog.client.get(path)  # once before counting: statements get prepared, the session touched
    with count_round_trips(catalog.store) as trips:
        response: httpx.Response = await catalog.client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return trips


async def watch(catalog: Catalog, member: UserRecord, videos: list[VideoRecord]) -> None:
    """In progress, all but every third video, which is finished."""
    for n, video in enumerate(videos):
        await catalog.watched(member, video, 100 if n % 3 == 0 else 30, 100, finished=n % 3 == 0)


async def test_home_search_and_course_pages_cost_a_fixed_number_of_round_trips(catalog: Catalog) -> None:
    backend = backend_of(catalog.store)
    owner, member = await catalog.user("instructor"), await catalog.user(member=True)
    videos = [await catalog.video(owner, f"Streaming lesson {n}", minutes_ago=n) for n in range(30)]
    await catalog.video(owner, "Streaming preview", Visibility.PUBLIC)
    course = await catalog.course(owner, "Course", videos[:4])
    await watch(catalog, member, videos[:3])
    await catalog.act_as(member)
    fixed = SESSION_AND_MEMBERSHIP[backend]
    counts: dict[str, set[int]] = {"home": set(), "course": set()}

    for watched, lessons in ((3, 4), (12, 20)):
        if watched > 3:  # more of everything: more watched, more lessons, more courses
            await watch(catalog, member, videos[3:watched])
            course = await catalog.course(owner, "Longer course", videos[:lessons])
            for n in range(5):
                await catalog.course(owner, f"Course {n}", videos[n : n + 3])
        home = await trips_of(catalog, "/")
        assert home.count == fixed + HOME[backend], str(home)
        counts["home"].add(home.count)
        for query in ("streaming", "streaming lesson"):
            search = await trips_of(catalog, f"/search?q={query}")
            assert search.count == fixed + SEARCH[backend], str(search)
        page = await trips_of(catalog, f"/courses/{course.id}")
        assert page.count == fixed + COURSE[backend], str(page)
        counts["course"].add(page.count)
    # the same count with 3 videos watched as with 12: nothing grows with the watch history
    assert all(len(seen) == 1 for seen in counts.values()), counts
