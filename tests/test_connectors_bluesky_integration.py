"""Bluesky against a real local AT Protocol network: `@atproto/dev-env` (PLC, PDS, AppView).

Marked `integration`: `make test` deselects it; `make test-integration` installs Node 22 and
dev-env into .integration/, and Redis, then runs it with $SOCIABLE_INTEGRATION_DIR set.
Without it the tests are skipped with that reason, so a plain `pytest` run says what it did
not run.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from sociable.connectors import connect
from sociable.connectors.send import send_replies
from sociable.connectors.sync import sync_account
from sociable.domain.inbox import Action
from sociable.store import inbox as inbox_repo
from tests.connectors_helpers import items, vault

pytestmark = pytest.mark.integration

DIR = Path(os.environ.get("SOCIABLE_INTEGRATION_DIR", "/nonexistent"))
NODE = DIR / "node_modules" / ".bin" / "node"

# Starts the network, makes the store's account and a customer, has the customer mention the
# store, prints one JSON line with what the test needs, then waits to be stopped.
SCRIPT = r"""
const { TestNetwork } = require('@atproto/dev-env')
const main = async () => {
  const network = await TestNetwork.create({ dbPostgresSchema: 'sociable' })
  const store = network.pds.getClient()
  await store.createAccount({ email: 'store@example.com', handle: 'brennan.test', password: 'store-pass' })
  const bob = network.pds.getClient()
  await bob.createAccount({ email: 'bob@example.com', handle: 'bob.test', password: 'bob-pass' })
  const text = '@brennan.test can you fix a broken clasp?'
  const start = text.indexOf('@brennan.test')
  await bob.post({ text, facets: [{ index: { byteStart: start, byteEnd: start + 13 },
    features: [{ $type: 'app.bsky.richtext.facet#mention', did: store.session.did }] }] })
  await network.processAll()
  console.log(JSON.stringify({ pds: network.pds.url, store: store.session.did,
                               bob: bob.session.did }))
  process.stdin.on('end', async () => { await network.close(); process.exit(0) })
  process.stdin.resume()
}
main().catch((err) => { console.error(err); process.exit(1) })
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    if not NODE.exists() or not (DIR / "node_modules" / "@atproto" / "dev-env").exists():
        pytest.skip("no dev-env ($SOCIABLE_INTEGRATION_DIR): run `make test-integration`")
    redis = shutil.which("redis-server")
    if not redis:
        pytest.skip("redis-server is missing: run `make test-integration`")
    from tests.pg import PostgresServer, wait_ready

    pg = PostgresServer()
    url = pg.start()
    wait_ready(url)
    redis_port = _free_port()
    redis_proc = subprocess.Popen([redis, "--port", str(redis_port), "--save", "",
                                   "--appendonly", "no"], stdout=subprocess.DEVNULL)
    script = DIR / "sociable_network.js"
    script.write_text(SCRIPT, encoding="utf-8")
    env = dict(os.environ, DB_POSTGRES_URL=url.replace("postgresql+psycopg", "postgresql"),
               REDIS_HOST=f"127.0.0.1:{redis_port}", LOG_ENABLED="false")
    node = subprocess.Popen([str(NODE), str(script)], cwd=DIR, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = node.stdout.readline()
        if not line:
            raise AssertionError(f"dev-env did not start: {node.stderr.read()[-3000:]}")
        yield json.loads(line)
    finally:
        node.stdin.close()
        try:
            node.wait(timeout=30)
        except subprocess.TimeoutExpired:
            node.kill()
        redis_proc.terminate()
        redis_proc.wait(timeout=10)
        pg.stop()


def test_a_mention_on_a_real_pds_reaches_the_inbox_and_the_reply_posts(store, network):
    v = vault()
    with store.begin() as conn:
        account = connect.bluesky(conn, v, handle="brennan.test", app_password="store-pass",
                                  service=network["pds"])
    assert account.external_id == network["store"]
    report = sync_account(store, account.id, vault=v)
    assert report.error is None and report.imported >= 1, report
    [item] = items(store)
    assert item.handle == "bob.test"
    with store.begin() as conn:
        inbox_repo.transition(conn, item.id, Action.REPLY, actor="owner",
                              text="Yes, bring it in!")
    [sent] = send_replies(store, vault=v)
    assert sent.state == "sent" and sent.platform_id.startswith("at://"), sent
