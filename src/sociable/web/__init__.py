"""The web inbox: server-rendered pages and a JSON API, thin over the library.

Example:
    from sociable.store import open_store
    from sociable.web import create_app
    app = create_app(open_store("store.db"))   # then: uvicorn, or TestClient(app)
"""
from __future__ import annotations

from contextlib import asynccontextmanager
from importlib.resources import files
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from sociable.domain.inbox import TransitionError
from sociable.store import Store
from sociable.web.auth import Forbidden, NotLoggedIn, TooManyAttempts
from sociable.web.csrf import CsrfRefused

__all__ = ["create_app"]


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_page(request: Request, status: int, message: str):
    from sociable.web.render import page

    principal = getattr(request.state, "principal", None)
    return page(request, "error.html", principal, status_code=status, status=status,
                message=message)


def create_app(store: Store, *, secure_cookies: bool | None = None,
               live_poll: float = 1.5, vault=None) -> FastAPI:
    """The FastAPI app over a store.

    Cookies are Secure on HTTPS unless `secure_cookies` says; open Today pages look for new
    items every `live_poll` seconds. `vault` opens connected accounts' secrets (default: the
    key the CLI uses, `connectors.secrets.Vault()`).
    """
    from sociable.web import api, live
    from sociable.web.pages import account, accounts, inbox, people

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        processor = getattr(app.state, "webhook_processor", None)
        if processor is not None:  # the Meta webhook's background batch processor
            processor.stop()

    app = FastAPI(title="Sociable", version="0.1.0", lifespan=lifespan,
                  description="Who should we talk to today, and why. Authenticate scripts with "
                              "`Authorization: Bearer <token>` (the owner creates tokens).",
                  docs_url=None, redoc_url=None)  # their pages load from a CDN
    app.state.store = store
    app.state.secure_cookies = secure_cookies
    app.state.live_poll = live_poll
    app.state.vault = vault
    app.mount("/static", StaticFiles(directory=str(files("sociable.web") / "static")),
              name="static")
    for module in (api, live, account, accounts, inbox, people):
        app.include_router(module.router)
    # Meta's webhook: outside login and CSRF, its HMAC signature is its authentication.
    from sociable.connectors.meta import router as meta_webhooks
    from sociable.results import web as results_web

    app.include_router(meta_webhooks)
    app.include_router(results_web.router)
    app.include_router(results_web.api_router)

    @app.exception_handler(NotLoggedIn)
    async def _not_logged_in(request: Request, exc: NotLoggedIn):
        if _is_api(request) or request.url.path == "/live":
            return JSONResponse({"detail": str(exc)}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(Forbidden)
    @app.exception_handler(CsrfRefused)
    async def _forbidden(request: Request, exc: Exception):
        if _is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=403)
        return _error_page(request, 403, str(exc))

    @app.exception_handler(TooManyAttempts)
    async def _too_many(request: Request, exc: TooManyAttempts):
        if _is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=429)
        return _error_page(request, 429, str(exc))

    @app.exception_handler(LookupError)
    async def _missing(request: Request, exc: LookupError):
        if isinstance(exc, (KeyError, IndexError)):
            raise exc  # a bug, not a missing record: let it be a 500
        if _is_api(request):
            return JSONResponse({"detail": str(exc).strip("'\"")}, status_code=404)
        return _error_page(request, 404, str(exc).strip("'\""))

    @app.exception_handler(TransitionError)
    async def _conflict(request: Request, exc: TransitionError):
        if _is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=409)
        return _error_page(request, 409, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        if _is_api(request):  # 422 with FastAPI's list of what is wrong where
            return await request_validation_exception_handler(request, exc)
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: "
                             f"{e.get('msg', 'invalid')}" for e in exc.errors())
        return _error_page(request, 400, f"This address or form is not valid ({problems}).")

    @app.exception_handler(ValueError)
    async def _bad(request: Request, exc: ValueError):
        if _is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=400)
        return _error_page(request, 400, str(exc))

    return app
