"""Versioned schema migrations: one file per step, applied in file-name order, recorded once applied.

`sqlite/NNNN_name.sql` and `cassandra/NNNN_name.cql` hold statements separated by a `;` that ends a line.
Number ranges by concern keep parallel work apart: 0001-0099 core, 0100 accounts, 0200 pipeline,
0300 delivery, 0400 analytics, 0500 memberships, 0600 catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Migration:
    name: str
    statements: list[str]


def load_migrations(backend: str) -> list[Migration]:
    """All migrations of `backend` ("sqlite" or "cassandra"), in the order they must run."""
    folder = resources.files(__package__).joinpath(backend)
    files = sorted((entry for entry in folder.iterdir() if entry.name[:4].isdigit()), key=lambda e: e.name)
    return [Migration(entry.name.rsplit(".", 1)[0], split_statements(entry.read_text())) for entry in files]


def split_statements(script: str) -> list[str]:
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    statements, current = [], []
    for line in lines:
        current.append(line)
        if line.rstrip().endswith(";"):
            statements.append("\n".join(current).strip().rstrip(";"))
            current = []
    tail = "\n".join(current).strip()
    return [*statements, tail] if tail else statements
