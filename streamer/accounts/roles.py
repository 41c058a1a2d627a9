from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    MEMBER = "member"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"


RANK = {Role.MEMBER: 0, Role.INSTRUCTOR: 1, Role.ADMIN: 2}


def at_least(role: str, required: Role) -> bool:
    """Admins may do what instructors may, instructors what members may."""
    return role in RANK and RANK[Role(role)] >= RANK[required]
