"""DESIGN.md's import rules, checked on the source: a broken rule fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
NO_STARLETTE = ["storage", "accounts", "catalog", "analytics", "memberships"]


def imported_modules(package: Path) -> set[tuple[Path, str]]:
    found = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {(path, alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((path, node.module))
    return found


@pytest.mark.parametrize("package", NO_STARLETTE)
def test_domain_packages_never_import_starlette(package: str) -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path, name in imported_modules(ROOT / "streamer" / package)
        if name.split(".")[0] == "starlette"
    ]
    assert offenders == []


def test_the_transcoder_imports_nothing_from_streamer() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path, name in imported_modules(ROOT / "transcoder")
        if name.split(".")[0] == "streamer"
    ]
    assert offenders == []
