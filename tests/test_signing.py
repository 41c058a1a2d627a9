from __future__ import annotations

import base64
import hashlib

import pytest

from streamer import signing

SECRET = signing.link_secret("a-secret-key-of-some-length")


def test_the_token_is_base64url_md5_of_expires_video_client_secret_in_that_order() -> None:
    digest = hashlib.md5(f"1700000000|abc|-|{SECRET}".encode()).digest()  # noqa: S324
    assert signing.token(1700000000, "abc", SECRET) == base64.urlsafe_b64encode(digest).decode().rstrip("=")


def test_an_ip_bound_token_hashes_the_address_in_the_client_field() -> None:
    digest = hashlib.md5(f"1700000000|abc|10.1.2.3|{SECRET}".encode()).digest()  # noqa: S324
    assert signing.token(1700000000, "abc", SECRET, "10.1.2.3") == base64.urlsafe_b64encode(digest).decode()[:22]


def test_nginx_hashes_the_same_fields_with_its_own_variables() -> None:
    assert signing.nginx_md5_expression(SECRET, bind_ip=False) == f"$sl_expires|$sl_video|-|{SECRET}"
    assert signing.nginx_md5_expression(SECRET, bind_ip=True) == f"$sl_expires|$sl_video|$remote_addr|{SECRET}"


def test_the_link_secret_is_derived_never_the_raw_key() -> None:
    key = "a-secret-key-of-some-length"
    assert signing.link_secret(key) != key
    assert key not in signing.link_secret(key)
    assert signing.link_secret(key) != signing.link_secret(key + "x")
    assert len(signing.link_secret(key)) == 64


def test_a_signed_path_verifies_until_it_expires() -> None:
    path = signing.signed_path("vid1", "720p/seg_001.m4s", 2000, SECRET)
    assert path.startswith("/v/")
    assert path.endswith("/2000/vid1/720p/seg_001.m4s")
    assert signing.verify(path, SECRET, now=2000)
    assert not signing.verify(path, SECRET, now=2001)
    assert not signing.verify(path, SECRET + "x", now=1000)


def test_an_ip_bound_path_verifies_only_for_that_address() -> None:
    path = signing.signed_path("vid1", "master.m3u8", 2000, SECRET, client_ip="10.0.0.7")
    assert signing.verify(path, SECRET, now=1000, client_ip="10.0.0.7")
    assert not signing.verify(path, SECRET, now=1000, client_ip="10.0.0.8")
    assert not signing.verify(path, SECRET, now=1000)


def test_one_prefix_covers_every_file_of_the_video() -> None:
    prefix = signing.signed_prefix("vid1", 2000, SECRET)
    for name in ("master.m3u8", "360p/index.m3u8", "360p/init_0.mp4", "poster.jpg", "thumbnails.vtt"):
        assert signing.verify(prefix + name, SECRET, now=1000)


@pytest.mark.parametrize(
    "file",
    ["../x.m3u8", "..", ".hidden.m3u8", "a/b/c.m4s", "x.key", "x.m3u8/", "", "/abs.m3u8", "x y.ts", "x.m3u8\n"],
)
def test_files_outside_the_strict_pattern_cannot_be_signed(file: str) -> None:
    with pytest.raises(signing.InvalidLink):
        signing.signed_path("vid1", file, 2000, SECRET)


@pytest.mark.parametrize("video_id", ["", "a/b", "..", "a.b", "x" * 65, "vid\n"])
def test_video_ids_outside_the_pattern_cannot_be_signed(video_id: str) -> None:
    with pytest.raises(signing.InvalidLink):
        signing.signed_prefix(video_id, 2000, SECRET)


def test_a_client_address_with_the_separator_cannot_be_signed() -> None:
    with pytest.raises(signing.InvalidLink):
        signing.signed_prefix("vid1", 2000, SECRET, client_ip="1.2.3.4|x")


def test_parse_returns_the_parts_and_none_for_anything_else() -> None:
    path = signing.signed_path("vid1", "360p/seg_000.m4s", 2000, SECRET)
    link = signing.parse(path)
    assert link is not None
    assert (link.expires, link.video_id, link.file) == (2000, "vid1", "360p/seg_000.m4s")
    assert signing.parse(path + "\n") is None
    assert signing.parse("/v/short/2000/vid1/master.m3u8") is None


def test_expiry_is_rounded_up_to_the_step_so_links_repeat() -> None:
    assert signing.round_expiry(1) == signing.EXPIRY_STEP
    assert signing.round_expiry(signing.EXPIRY_STEP) == signing.EXPIRY_STEP
    assert signing.round_expiry(signing.EXPIRY_STEP + 0.5) == 2 * signing.EXPIRY_STEP
