"""Endpoints and their credentials, for :mod:`supportgraph.store_http`.

:func:`resolve_endpoint` turns a URL into an :class:`Endpoint` carrying its credentials
(``http://user:pass@host/...`` userinfo, else ``SUPPORTGRAPH_ENDPOINT_TOKEN``, else
``SUPPORTGRAPH_ENDPOINT_USER`` / ``SUPPORTGRAPH_ENDPOINT_PASSWORD``, else ``~/.netrc``).
The secrets never print: they are left out of every ``repr``, and :func:`redact` shows a URL
without userinfo or query string.
"""

from __future__ import annotations

import base64
import netrc
import os
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit, urlunsplit

from supportgraph.errors import StoreError

ENV_USER = "SUPPORTGRAPH_ENDPOINT_USER"
ENV_PASSWORD = "SUPPORTGRAPH_ENDPOINT_PASSWORD"
ENV_TOKEN = "SUPPORTGRAPH_ENDPOINT_TOKEN"


# --- endpoints and credentials ---------------------------------------------------------------


@dataclass(frozen=True)
class Auth:
    """An ``Authorization`` header and where it came from (the secret parts never print)."""

    header: str = field(repr=False)
    source: str
    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)

    def secrets(self) -> list[str]:
        """The strings that must never appear in a message."""
        values = [self.header, self.header.partition(" ")[2], self.password or ""]
        return [value for value in values if len(value) >= 3]


@dataclass(frozen=True)
class Endpoint:
    """A URL without userinfo, how to show it in messages, and its credentials."""

    url: str
    shown: str
    host: str
    auth: Auth | None = field(default=None, repr=False)


def redact(url: str) -> str:
    """``url`` for a message: userinfo replaced by ``***``, query string by ``…``."""
    try:
        parts = urlsplit(url.strip())
        host = parts.netloc.rpartition("@")[2]
        netloc = f"***@{host}" if "@" in parts.netloc else host
        return urlunsplit((parts.scheme, netloc, parts.path, "…" if parts.query else "", ""))
    except ValueError:
        return re.sub(r"//[^/?#]*@", "//***@", url.strip()).split("?")[0]


def resolve_endpoint(url: str) -> Endpoint:
    """Check ``url`` (http or https, ASCII, valid port) and find its credentials."""
    shown = redact(url)
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise StoreError(f"{shown} is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"{shown!r} is not an http:// or https:// URL")
    if not url.isascii():
        raise StoreError(f"{shown} is not ASCII; percent-encode it")
    host = parts.hostname
    clean = urlunsplit(
        (parts.scheme, parts.netloc.rpartition("@")[2], parts.path or "/", parts.query, "")
    )
    auth = _credentials(parts.username, parts.password, host)
    return Endpoint(url=clean, shown=shown, host=host, auth=auth)


def _basic(user: str, password: str, source: str) -> Auth:
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return Auth(f"Basic {token}", source, user, password)


def _credentials(user: str | None, password: str | None, host: str) -> Auth | None:
    if user is not None:
        return _basic(unquote(user), unquote(password or ""), "the endpoint URL")
    if os.environ.get(ENV_TOKEN):
        return Auth(f"Bearer {os.environ[ENV_TOKEN]}", ENV_TOKEN)
    if os.environ.get(ENV_USER):
        source = f"{ENV_USER}/{ENV_PASSWORD}"
        return _basic(os.environ[ENV_USER], os.environ.get(ENV_PASSWORD, ""), source)
    try:
        entry = netrc.netrc().authenticators(host)
    except FileNotFoundError:
        return None
    except (netrc.NetrcParseError, OSError):
        # The parser's message may quote a token of the file: say nothing about its content.
        raise StoreError("~/.netrc cannot be read (malformed, or readable by others)") from None
    if entry is None:
        return None
    login, _account, secret = entry
    return _basic(login or "", secret or "", "~/.netrc")
