"""Who may read and write, and the headers every response carries.

- Writes need the token (`STORYDESK_TOKEN` or `--token-file`): an `Authorization: Bearer` header for API
  clients, or a browser session started by typing it on the sign-in page (an HttpOnly, SameSite=Strict
  cookie signed with the token, so changing the token ends every session). Every comparison of a secret
  is `hmac.compare_digest`, in constant time. Without a configured token, writes are refused.
- Reads follow `ServiceConfig.reads`: "loopback" (clients on this machine read freely, others need the
  token), "open" or "token".
- Forms that write carry a CSRF token: an HMAC, under a secret of this process, of a random cookie set
  with the page (signed double submit), checked on every form POST beside the browser's own
  `Sec-Fetch-Site` (a cross-site form post is refused outright).
- Content-Security-Policy: scripts and styles only from this server's files (no inline script at all),
  no plug-ins, no framing, forms only to this server; plus nosniff, no referrer, no framing.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from starlette.requests import Request

from storydesk.config import ServiceConfig

SESSION_COOKIE = "storydesk_session"
CSRF_COOKIE = "storydesk_csrf"
CSRF_FIELD = "csrf"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


class TokenError(ValueError):
    """A token that cannot be used (unreadable file, too short)."""


def load_token(token_file: Path | None, environ: dict[str, str], config: ServiceConfig) -> str | None:
    """The write token: the file's first line, else STORYDESK_TOKEN, else None (writes refused)."""
    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip().split("\n", 1)[0].strip()
        except (OSError, UnicodeDecodeError) as error:
            raise TokenError(f"cannot read the token file {token_file}: {error}") from None
        source = str(token_file)
    else:
        token, source = environ.get("STORYDESK_TOKEN", "").strip(), "STORYDESK_TOKEN"
        if not token:
            return None
    if len(token) < config.min_token_chars:
        raise TokenError(
            f"the token in {source} is {len(token)} characters; at least "
            f"{config.min_token_chars} are needed (e.g. `openssl rand -hex 16`)"
        )
    return token


def is_loopback(request: Request) -> bool:
    """Whether the client connected from this machine."""
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@dataclass
class Guard:
    """The token, the read policy and this process's CSRF secret."""

    token: str | None
    config: ServiceConfig
    csrf_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    @property
    def writes_enabled(self) -> bool:
        return self.token is not None

    def _key(self, purpose: str) -> bytes:
        return hmac.new((self.token or "").encode(), purpose.encode(), hashlib.sha256).digest()

    def token_ok(self, given: str | None) -> bool:
        """Whether `given` is the token (constant time)."""
        return (
            self.token is not None
            and given is not None
            and hmac.compare_digest(given.encode("utf-8"), self.token.encode("utf-8"))
        )

    def bearer(self, request: Request) -> str | None:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        return value.strip() if scheme.lower() == "bearer" else None

    def new_session(self) -> str:
        """A session cookie value: its expiry and a signature by the token."""
        expires = int(time.time() + self.config.session_hours * 3600)
        return f"{expires}.{self._sign(str(expires))}"

    def _sign(self, value: str) -> str:
        return hmac.new(self._key("storydesk session"), value.encode(), hashlib.sha256).hexdigest()

    def session_ok(self, value: str | None) -> bool:
        if self.token is None or not value or "." not in value:
            return False
        expires, _, signature = value.partition(".")
        return (
            hmac.compare_digest(signature.encode(), self._sign(expires).encode())
            and expires.isdigit()
            and int(expires) > time.time()
        )

    def authorised(self, request: Request) -> bool:
        """The request carries the token or a valid browser session."""
        return self.token_ok(self.bearer(request)) or self.session_ok(request.cookies.get(SESSION_COOKIE))

    def may_read(self, request: Request) -> bool:
        policy = self.config.reads
        if policy == "open" or (policy == "loopback" and is_loopback(request)):
            return True
        return self.authorised(request)

    def csrf_token(self, cookie: str) -> str:
        """The form field that goes with a CSRF cookie value."""
        return hmac.new(self.csrf_secret, cookie.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, request: Request, submitted: str | None) -> bool:
        """A form post from one of our pages: not cross-site, and its field matches its cookie."""
        if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            return False
        cookie = request.cookies.get(CSRF_COOKIE)
        return bool(cookie and submitted) and hmac.compare_digest(
            self.csrf_token(cookie).encode(), str(submitted).encode()
        )


def new_csrf_cookie() -> str:
    return secrets.token_urlsafe(24)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this server, never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
