"""Fixtures for the transcoder tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.components import require_program
from tests.transcoder.media import Make, Spec, generate


def require_ffmpeg() -> None:
    """Skip when ffmpeg/ffprobe are missing on a developer machine (saying why); fail the run when CI=true."""
    for program in ("ffmpeg", "ffprobe"):
        require_program(program)


@pytest.fixture(scope="session")
def ffmpeg_available() -> None:
    require_ffmpeg()


@pytest.fixture(scope="session")
def make_source(ffmpeg_available: None, tmp_path_factory: pytest.TempPathFactory) -> Make:
    """make_source(name, **Spec fields) -> path of a freshly generated source (cached per session)."""
    folder = tmp_path_factory.mktemp("sources")
    cache: dict[tuple[str, Spec], Path] = {}

    def make(name: str = "source.mp4", **fields: object) -> Path:
        spec = Spec(**fields)  # type: ignore[arg-type]
        key = (name, spec)
        if key not in cache:
            cache[key] = generate(spec, folder / f"{len(cache)}-{name}")
        return cache[key]

    return make
