from __future__ import annotations

from pathlib import Path

import pytest

from streamer.accounts.context import Accounts
from streamer.storage.base import Store
from tests.web.apps import site_settings


@pytest.fixture
def accounts(store: Store, tmp_path: Path) -> Accounts:
    """Accounts on the module's store; mails go to `<tmp_path>/mail/` as .eml files."""
    return Accounts.build(store, site_settings(tmp_path))


def mails_in(accounts: Accounts) -> list[str]:
    folder = accounts.settings.data_dir / "mail"
    return sorted(path.read_text() for path in folder.glob("*.eml")) if folder.exists() else []
