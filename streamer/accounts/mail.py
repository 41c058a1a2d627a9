"""Outgoing mail: composed from templates (text and HTML), sent with aiosmtplib to STREAMER_SMTP_URL, or written
as .eml files to `<data_dir>/mail/` when no SMTP server is configured (the log names the file)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib
from jinja2 import Environment, FileSystemLoader, select_autoescape

from streamer.accounts.errors import MailNotSent
from streamer.settings import Settings, SettingsError

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "mail"
_env = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), keep_trailing_newline=True
)


class Mailer(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Deliver or store the message; raises MailNotSent."""


def compose(settings: Settings, to: str, template: str, **context: Any) -> EmailMessage:
    """`mail/<template>.txt` (first line `Subject: …`) and `mail/<template>.html` as one multipart message."""
    context = {"site": settings.public_url.rstrip("/"), **context}
    subject_line, _, text = _env.get_template(f"{template}.txt").render(context).partition("\n")
    message = EmailMessage()
    message["Subject"] = subject_line.removeprefix("Subject:").strip()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Message-ID"] = make_msgid(domain=urlsplit(settings.public_url).hostname or "localhost")
    message.set_content(text.lstrip("\n"))
    message.add_alternative(_env.get_template(f"{template}.html").render(context), subtype="html")
    return message


class SmtpMailer:
    """`smtp://[user:pass@]host[:port]` (STARTTLS when the server offers it) or `smtps://…` (TLS from the start)."""

    def __init__(self, url: str, timeout: float = 15.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise SettingsError("STREAMER_SMTP_URL: must look like smtp://user:pass@host:587 or smtps://host:465")
        self._tls = parts.scheme == "smtps"
        self._host = parts.hostname
        self._port = parts.port or (465 if self._tls else 25)
        self._user = unquote(parts.username) if parts.username else None
        self._password = unquote(parts.password) if parts.password else None
        self._timeout = timeout

    async def send(self, message: EmailMessage) -> None:
        try:
            await aiosmtplib.send(
                message,
                hostname=self._host,
                port=self._port,
                username=self._user,
                password=self._password,
                use_tls=self._tls,
                timeout=self._timeout,
            )
        except (aiosmtplib.SMTPException, OSError) as error:
            raise MailNotSent(f"SMTP server {self._host}:{self._port} did not take the mail: {error}") from error


class FolderMailer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def send(self, message: EmailMessage) -> None:
        unique = str(message["Message-ID"]).strip("<>").split("@")[0]
        path = self.folder / f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{unique}.eml"
        try:
            await asyncio.to_thread(self._write, path, message.as_bytes())
        except OSError as error:
            raise MailNotSent(f"cannot write the mail to {path}: {error}") from error
        log.info("no SMTP server configured (STREAMER_SMTP_URL): mail to %s written to %s", message["To"], path)

    def _write(self, path: Path, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def mailer_for(settings: Settings) -> Mailer:
    return SmtpMailer(settings.smtp_url) if settings.smtp_url else FolderMailer(settings.data_dir / "mail")
