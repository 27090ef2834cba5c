"""Security headers on every response, and a strict Content-Security-Policy on pages.

The CSP allows no inline script or style at all: scripts are files under /static or
/vendor, htmx runs with allowEval off and without its injected indicator styles, and the
day bars are SVG (attributes, not style). 'wasm-unsafe-eval' lets the tablet compile the
QR decoder it runs on camera frames (zxing-wasm); it allows no JavaScript eval.
Pages hold personal data: nothing but static files
may be cached, and no URL (search queries hold names) leaks through the Referer header.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",  # WebAssembly only: zxing-wasm
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def csp(form_targets: tuple[str, ...] = ()) -> str:
    """The policy, its forms allowed to lead to `form_targets` too: ProConnect's origin,
    where the sign-in button and the sign-out go on (browsers check form-action on each
    redirect of a form's submission)."""
    return CSP.replace("form-action 'self'", " ".join(("form-action 'self'", *form_targets)))


ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
}
# What governs a document (framing, the window's opener, the camera): on everything but the
# static files, whose 120 responses make a tablet's first visit, where they would only weigh.
DOCUMENTS = {
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=(), payment=()",
}
CACHEABLE = ("/static/", "/vendor/")


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, https: bool, form_targets: tuple[str, ...] = ()) -> None:
        self.app = app
        self.https = https
        self.csp = csp(form_targets)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = scope["path"].startswith(CACHEABLE)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    headers.setdefault(name, value)
                for name, value in () if cacheable else DOCUMENTS.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    headers["Content-Security-Policy"] = self.csp
                # static files under a hashed URL say `immutable` (web/assets.py); any other,
                # and their refusals, are revalidated at each use
                headers.setdefault("Cache-Control", "no-cache" if cacheable else "no-store")
                if self.https:
                    headers["Strict-Transport-Security"] = "max-age=31536000"
            await send(message)

        await self.app(scope, receive, send_with_headers)
