from __future__ import annotations

import logging
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from streamer.accounts.errors import MailNotSent
from streamer.accounts.mail import FolderMailer, SmtpMailer, compose, mailer_for
from streamer.settings import SettingsError, load_settings
from streamer.storage.records import UserRecord, new_id, utcnow
from tests.smtp import free_port

NOW = utcnow()
ADA = UserRecord(new_id(), "ada@example.org", "ada@example.org", "-", "Ada <b>", "member", False, NOW, NOW)


def test_a_mail_has_a_subject_a_text_and_an_escaped_html_body() -> None:
    settings = load_settings({"STREAMER_PUBLIC_URL": "https://videos.example.org"})
    message = compose(settings, ADA.email, "verify", user=ADA, link="https://videos.example.org/verify/x", hours=24)
    assert (message["Subject"], message["To"]) == ("Confirm your email address", "ada@example.org")
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    assert "Hello Ada <b>," in text.get_content()
    assert "Ada &lt;b&gt;" in html.get_content()
    assert "https://videos.example.org/verify/x" in html.get_content()


async def test_without_smtp_mails_become_eml_files_and_the_log_says_where(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings({"STREAMER_DATA_DIR": str(tmp_path)})
    mailer = mailer_for(settings)
    assert isinstance(mailer, FolderMailer)
    with caplog.at_level(logging.INFO, logger="streamer.accounts.mail"):
        await mailer.send(compose(settings, ADA.email, "reset", user=ADA, link="http://x/reset", minutes=60))
    [path] = (tmp_path / "mail").glob("*.eml")
    assert str(path) in caplog.text
    assert message_from_bytes(path.read_bytes(), policy=policy.default)["Subject"] == "Reset your password"


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "mail.example.org:25"])
def test_a_bad_smtp_url_is_a_settings_error(url: str) -> None:
    with pytest.raises(SettingsError, match="STREAMER_SMTP_URL"):
        SmtpMailer(url)


async def test_an_unreachable_smtp_server_is_mail_not_sent() -> None:
    mailer = SmtpMailer(f"smtp://user:p%40ss@127.0.0.1:{free_port()}", timeout=2)
    settings = load_settings({})
    with pytest.raises(MailNotSent, match="did not take the mail"):
        await mailer.send(compose(settings, ADA.email, "reset", user=ADA, link="http://x/reset", minutes=60))
