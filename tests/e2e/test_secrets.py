"""Secrets kept secret (issue 23, items 1 and 2): the database and its
-wal and -shm are the owner's only, and no log line holds the bot's
password or an access token, at debug level too, also when the homeserver
refuses a stored token and the bot logs in again. The fixtures (conftest.py,
check_logs_for_secrets) grep every bot log a test produced for every
password and token they know; this test adds the refused token."""

import os
import sqlite3
import stat

from helpers import BOT_LOG, run, world

FAKE_TOKEN = "syt_d2Vya3RhZmVs_refusedTokenForTheLogTest_0000"


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_files_private_and_logs_clean(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            start = os.path.getsize(BOT_LOG)
            _, replies = await w.ask("noord", "!hulp")
            assert replies
            db = w.bot.database
            for p in (db, db + "-wal", db + "-shm"):
                assert _mode(p) == 0o600, (p, oct(_mode(p)))
            w.bot.stop()
            # A stored token the homeserver refuses: the bot says so and
            # logs in again with its password, naming neither.
            con = sqlite3.connect(db)
            con.execute("UPDATE kv SET value = ? WHERE key = "
                        "'matrix.access_token'", (FAKE_TOKEN,))
            con.commit()
            con.close()
            w.bot.start()
            _, replies = await w.ask("noord", "!hulp")
            assert replies
            with open(BOT_LOG, "rb") as f:
                f.seek(start)
                log = f.read().decode(errors="replace")
            assert "logged in as" in log
            assert FAKE_TOKEN not in log
            assert w.bot.password not in log
    run(body())
