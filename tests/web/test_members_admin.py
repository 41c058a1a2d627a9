"""The admin page and invite links, with no Stripe configured at all."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from streamer.memberships.access import active_membership
from streamer.memberships.invites import create_invite
from streamer.storage.base import Store
from streamer.storage.records import UserRecord
from tests.conftest import login_as, make_user
from tests.web.membership_app import client_for, watches


@pytest.fixture
async def client(store: Store, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(store, tmp_path) as client:
        yield client


async def a_member(store: Store) -> UserRecord:
    return await make_user(store)


def outcome(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == "/admin/members"
    return {key: values[0] for key, values in parse_qs(location.query).items()}


@pytest.mark.parametrize(("role", "allowed"), [("member", False), ("instructor", False), ("admin", True)])
async def test_only_admins_see_the_members_page_and_use_its_forms(
    client: httpx.AsyncClient, store: Store, role: str, allowed: bool
) -> None:
    await login_as(client, store, role)
    member = await a_member(store)
    page = await client.get("/admin/members")
    grant = await client.post("/admin/members/grant", data={"email": member.email, "days": "3"})
    assert (page.status_code, grant.status_code) == ((200, 303) if allowed else (403, 403))
    assert (await active_membership(store, member.id) is not None) is allowed


async def test_an_admin_grants_and_revokes_access_without_stripe(
    client: httpx.AsyncClient, store: Store, tmp_path: Path
) -> None:
    await login_as(client, store, "admin")
    member = await a_member(store)
    granted = outcome(await client.post("/admin/members/grant", data={"email": member.email.upper(), "days": "30"}))
    assert f"{member.email} has access until" in granted["done"]
    assert await watches(store, member.id)
    page = (await client.get("/admin/members")).text
    assert member.email in page
    assert "Stripe is not configured" in page

    revoked = outcome(await client.post("/admin/members/revoke", data={"email": member.email}))
    assert revoked["done"] == f"Ended 1 membership(s) of {member.email}."
    assert not await watches(store, member.id)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"email": "nobody@example.org", "days": "3"}, "No user has the address"),
        ({"email": "{member}", "days": "many"}, "Days must be a whole number."),
        ({"email": "{member}", "days": "0"}, "from 1 to 3650 days"),
    ],
)
async def test_a_bad_grant_comes_back_as_an_error(
    client: httpx.AsyncClient, store: Store, tmp_path: Path, form: dict[str, str], message: str
) -> None:
    await login_as(client, store, "admin")
    member = await a_member(store)
    form = {key: value.format(member=member.email) for key, value in form.items()}
    assert message in outcome(await client.post("/admin/members/grant", data=form))["error"]
    assert await active_membership(store, member.id) is None


async def test_an_admin_makes_an_invite_code_that_a_member_redeems_once(
    client: httpx.AsyncClient, store: Store, tmp_path: Path
) -> None:
    await login_as(client, store, "admin")
    created = outcome(await client.post("/admin/invites", data={"uses": "2", "days": "7", "valid_days": "14"}))
    code = created["done"].split()[2]
    assert f"/invite/{code}" in created["done"]

    async with client_for(store, tmp_path) as member_client:
        member = await login_as(member_client, store)
        page = await member_client.get(f"/invite/{code}")
        assert "7 days" in page.text
        assert "Redeem" in page.text
        welcome = await member_client.post(f"/invite/{code}")
        assert (welcome.status_code, "Your invite code was accepted" in welcome.text) == (200, True)
        again = await member_client.post(f"/invite/{code}")
        assert (again.status_code, "already redeemed" in again.text) == (409, True)
    assert await watches(store, member.id)


async def test_a_used_up_or_unknown_code_says_so(client: httpx.AsyncClient, store: Store, tmp_path: Path) -> None:
    invite = await create_invite(store, by="admin")
    await login_as(client, store)
    assert (await client.post(f"/invite/{invite.code}")).status_code == 200
    async with client_for(store, tmp_path) as late:
        await login_as(late, store)
        page = await late.get(f"/invite/{invite.code}")
        assert "used up" in page.text
        assert "Redeem</button>" not in page.text
        assert (await late.get("/invite/no-such-code")).status_code == 404


async def test_anonymous_visitors_of_an_invite_link_are_sent_to_log_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/invite/abc")
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=%2Finvite%2Fabc")


async def test_an_admin_creates_a_plan_that_appears_on_the_pricing_page(
    client: httpx.AsyncClient, store: Store
) -> None:
    await login_as(client, store, "admin")
    done = outcome(await client.post("/admin/plans", data={"name": "Course A", "price": "49.5", "interval": "year"}))
    assert done == {"done": "Plan Course A created."}
    plans = [plan for plan in await store.plans.list_all() if plan.name == "Course A"]
    assert [(plan.amount, plan.interval, plan.currency) for plan in plans] == [(4950, "year", "usd")]
    assert "49.50 USD / year" in (await client.get("/pricing")).text


@pytest.mark.parametrize("price", ["free", "9.999", "-1", "inf", "NaN"])
async def test_a_plan_with_a_bad_price_is_refused(client: httpx.AsyncClient, store: Store, price: str) -> None:
    await login_as(client, store, "admin")
    error = outcome(await client.post("/admin/plans", data={"name": "Bad", "price": price}))
    assert "is not a price" in error["error"]
