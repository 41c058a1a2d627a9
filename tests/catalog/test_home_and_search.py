"""Home page, search page and the JSON API: what a member finds, and sensible answers to odd input."""

from __future__ import annotations

from streamer.storage.records import Visibility, new_id
from tests.catalog.conftest import Catalog


async def test_home_continues_videos_in_progress_newest_first(catalog: Catalog) -> None:
    owner, member = await catalog.user("instructor"), await catalog.user(member=True)
    older, newer, done = [await catalog.video(owner, f"{name} {new_id()[:6]}") for name in ("Older", "Newer", "Done")]
    await catalog.watched(member, older, 10, 100)
    await catalog.watched(member, done, 100, 100, finished=True)
    await catalog.watched(member, newer, 20, 100)
    await catalog.act_as(member)
    data = (await catalog.client.get("/api/home")).json()
    assert [item["video"]["id"] for item in data["continue_watching"]] == [newer.id, older.id]
    page = await catalog.client.get("/")
    assert page.text.index(newer.title) < page.text.index(older.title)
    assert "Continue watching" in page.text


async def test_anonymous_home_shows_public_videos_and_a_sign_up_call(catalog: Catalog) -> None:
    owner = await catalog.user("instructor")
    trailer = await catalog.video(owner, f"Trailer {new_id()[:6]}", Visibility.PUBLIC)
    await catalog.act_as(None)
    page = await catalog.client.get("/")
    assert trailer.title in page.text
    assert 'href="/signup"' in page.text


async def test_search_pages_through_results_with_a_next_link(catalog: Catalog) -> None:
    owner, member = await catalog.user("instructor"), await catalog.user(member=True)
    token = f"pg{new_id()[:8]}"
    for n in range(25):
        await catalog.video(owner, f"Streaming part {n} {token}", minutes_ago=n)
    await catalog.act_as(member)
    first = (await catalog.client.get("/api/search", params={"q": f"streams {token}"})).json()
    second = (
        await catalog.client.get("/api/search", params={"q": f"streams {token}", "cursor": first["cursor"]})
    ).json()
    titles = [v["title"] for v in first["items"] + second["items"]]
    assert len(titles) == len(set(titles)) == 25
    assert second["cursor"] is None
    page = await catalog.client.get("/search", params={"q": f"streams {token}"})
    assert 'rel="next"' in page.text


async def test_odd_searches_get_sensible_answers(catalog: Catalog) -> None:
    await catalog.act_as(None)
    punctuation = await catalog.client.get("/api/search", params={"q": "?!... ---"})
    huge = await catalog.client.get("/search", params={"q": "word " * 1024})
    empty = await catalog.client.get("/search")
    bad_cursor = await catalog.client.get("/api/search", params={"q": "x", "cursor": "garbage"})
    assert (punctuation.status_code, punctuation.json()["items"]) == (200, [])
    assert "letters or digits" in punctuation.json()["notice"]
    assert huge.status_code == 200
    assert empty.status_code == 200
    assert bad_cursor.status_code == 400
    assert "no longer valid" in bad_cursor.json()["error"]


async def test_a_long_query_uses_its_first_words(catalog: Catalog) -> None:
    owner = await catalog.user("instructor")
    token = f"lq{new_id()[:8]}"
    await catalog.video(owner, f"Lesson {token}", Visibility.PUBLIC)
    await catalog.act_as(None)
    answer = (await catalog.client.get("/api/search", params={"q": f"{token} " + "lessons! " * 1000})).json()
    assert [item["title"] for item in answer["items"]] == [f"Lesson {token}"]
    answer = (await catalog.client.get("/api/search", params={"q": " ".join(f"w{n}" for n in range(40))})).json()
    assert "first 12 words" in answer["notice"]


async def test_api_videos_lists_newest_listed_videos_with_a_cursor(catalog: Catalog) -> None:
    owner = await catalog.user("instructor")
    mine = {(await catalog.video(owner, f"v{n}", Visibility.PUBLIC, minutes_ago=-10 - n)).id for n in range(25)}
    await catalog.act_as(None)
    first = (await catalog.client.get("/api/videos")).json()
    second = (await catalog.client.get("/api/videos", params={"cursor": first["cursor"]})).json()
    ids = [v["id"] for v in first["items"] + second["items"]]
    assert len(ids) == len(set(ids))
    assert mine <= set(ids)
    assert all(v["visibility"] == "public" for v in first["items"] + second["items"])
