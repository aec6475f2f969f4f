"""The accounts commands, sync, send and the worker; secrets at rest."""
from __future__ import annotations

import logging
import os
import stat
import threading

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

import sociable.cli.accounts  # noqa: F401  (registers the commands until cli/__init__ does)
from sociable.cli import app
from sociable.connectors.secrets import SecretsError, Vault, redact
from sociable.connectors.worker import Worker
from sociable.domain.inbox import Action
from sociable.store import connectors_tables as ct
from sociable.store import inbox as inbox_repo
from tests.connectors_helpers import items, wait_for

mock = pytest.importorskip("mastodon_mock.testing.server")


@pytest.fixture(scope="module")
def server():
    with mock.MockServer() as srv:
        yield srv


@pytest.fixture
def masto(server):
    httpx.post(f"{server.base_url}/api/v1/_mock/reset").raise_for_status()
    return server


@pytest.fixture
def keyfile(tmp_path, monkeypatch):
    path = tmp_path / "keys" / "secret.key"
    monkeypatch.delenv("SOCIABLE_SECRET_KEY", raising=False)
    monkeypatch.setenv("SOCIABLE_SECRET_KEY_FILE", str(path))
    return path


def run(db_url, *args):
    return CliRunner().invoke(app, ["--db", db_url, *args])


def test_the_key_file_is_created_0600_and_secrets_are_never_stored_in_clear(keyfile):
    vault = Vault()
    assert stat.S_IMODE(os.stat(keyfile).st_mode) == 0o600
    sealed = vault.seal({"access_token": "tok-123456"})
    assert "tok-123456" not in sealed and Vault().open(sealed) == {"access_token": "tok-123456"}
    assert "***" in repr(vault)
    with pytest.raises(SecretsError, match="Connect the account again"):
        Vault(Vault().__class__.__init__.__defaults__ and None or
              __import__("cryptography.fernet").fernet.Fernet.generate_key()).open(sealed)
    assert redact("401 for token tok-123456", {"access_token": "tok-123456"}) == "401 for token ***"


def test_accounts_add_list_sync_send_remove(store, db_url, masto, keyfile, caplog):
    caplog.set_level(logging.DEBUG)
    added = run(db_url, "accounts", "add", "mastodon", "--instance", masto.base_url,
                "--token", "alice_token", "--listen", "engagement ring")
    assert added.exit_code == 0, added.output
    name = "mastodon:@alice@127.0.0.1"
    assert name in added.output
    with store.begin() as conn:
        row = conn.execute(select(ct.accounts)).one()
    assert "alice_token" not in row.secrets
    masto.client("bob").status_post("@alice can you fix a broken clasp?")
    synced = run(db_url, "sync", name)
    assert synced.exit_code == 0 and "1 new" in synced.output, synced.output
    listed = run(db_url, "accounts", "list")
    assert "[active]" in listed.output and "engagement ring" in listed.output
    assert "hashtags only" in listed.output  # the platform's limits, said honestly
    [item] = items(store)
    with store.begin() as conn:
        inbox_repo.transition(conn, item.id, Action.REPLY, actor="owner", text="Yes, bring it in!")
    sent = run(db_url, "send")
    assert sent.exit_code == 0 and "sent through" in sent.output, sent.output
    assert run(db_url, "accounts", "remove", name).exit_code == 0
    assert "No accounts yet" in run(db_url, "accounts", "list").output
    assert "alice_token" not in caplog.text


def test_oauth_flow(store, db_url, masto, keyfile):
    started = run(db_url, "accounts", "add", "mastodon", "--instance", masto.base_url)
    assert started.exit_code == 0 and "/oauth/authorize" in started.output, started.output
    page = httpx.post(f"{masto.base_url}/oauth/authorize", data={
        "username": "alice", "redirect_uri": "urn:ietf:wg:oauth:2.0:oob", "client_id": "x"})
    code = page.text.split("Authorization code: ")[1].split("<")[0]
    done = run(db_url, "accounts", "add", "mastodon", "--instance", masto.base_url,
                "--code", code)
    assert done.exit_code == 0 and "Connected mastodon:@alice@127.0.0.1" in done.output, done.output
    listed = run(db_url, "accounts", "list", "--json")
    assert listed.output.count('"platform"') == 1


def test_a_broken_account_is_visible_in_the_list(store, db_url, masto, keyfile):
    run(db_url, "accounts", "add", "mastodon", "--instance", masto.base_url, "--token",
        "alice_token")
    from sociable.store import accounts as accounts_repo

    with store.begin() as conn:
        [acc] = accounts_repo.list_accounts(conn)
        accounts_repo.update_account(conn, acc.id, Vault(), secrets={"access_token": "nope-nope"})
    result = run(db_url, "sync")
    assert result.exit_code == 1 and "connect the account again" in result.output
    listed = run(db_url, "accounts", "list").output
    assert "[error]" in listed and "problem:" in listed


def test_the_worker_streams_and_sends(store, masto, keyfile):
    from sociable.connectors import connect

    vault = Vault()
    with store.begin() as conn:
        connect.mastodon(conn, vault, instance=masto.base_url, token="alice_token")
    worker = Worker(store, vault, poll=0.5)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    try:
        wait_for(lambda: worker.stats.loops >= 1 and worker._threads, timeout=10)
        import time
        time.sleep(0.7)  # the stream subscribes
        masto.client("bob").status_post("@alice congratulations on 50 years in business!")
        [item] = wait_for(lambda: items(store), timeout=10)
        with store.begin() as conn:
            inbox_repo.transition(conn, item.id, Action.REPLY, actor="owner", text="Thank you!")
        wait_for(lambda: worker.stats.sent == 1, timeout=10)
    finally:
        stop.set()
        thread.join(timeout=15)
    assert not thread.is_alive()
