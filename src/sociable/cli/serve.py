"""`sociable serve`: the web inbox (FastAPI under uvicorn)."""
from __future__ import annotations

from typing import Annotated

import typer

from sociable.cli.app import app, console, state


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Run the web inbox. The first visit sets up the owner's account.

    Example: sociable --db store.db serve --port 8000
    """
    import uvicorn

    from sociable.web import create_app

    console.print(f"Sociable on http://{host}:{port}/ (Ctrl+C to stop)", highlight=False)
    uvicorn.run(create_app(state.store()), host=host, port=port, log_level="warning",
                timeout_graceful_shutdown=3)
