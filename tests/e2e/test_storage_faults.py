"""Storage faults while the bot runs (issue 12, item 7): another program
holding the database's write lock for longer than the busy timeout, a full
disk (a small tmpfs), and a page damaged under the running bot. The bot says
what is wrong in ONE error line; it waits out the lock and the full disk and
then answers what came meanwhile, each command once; on a damaged page it
stops with exit status 4. (Faults found at start: tests/console/
storage_faults.sh.)
"""

import asyncio
import contextlib
import os
import re
import sqlite3
import subprocess
import time

import pytest

from helpers import BOT_LOG, REPLY_TIMEOUT, exactly_once, run, world

ERROR_LINE = re.compile(r"^\S+Z error ", re.M)


def _log_size():
    try:
        return os.path.getsize(BOT_LOG)
    except OSError:
        return 0


def _log_since(offset):
    with open(BOT_LOG, "rb") as f:
        f.seek(offset)
        return f.read().decode(errors="replace")


async def _wait_log(offset, pattern, timeout, bot=None):
    """Wait until the bot log (after offset) matches pattern."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if re.search(pattern, _log_since(offset)):
            return True
        if bot is not None and bot.died():
            break
        await asyncio.sleep(0.2)
    return bool(re.search(pattern, _log_since(offset)))


def _errors(text):
    return [line for line in text.splitlines() if ERROR_LINE.match(line)]


async def _send(w, n, tag):
    ids = []
    for i in range(n):
        ids.append(await w.command("noord", f"!hulp {tag}{i}"))
    return ids


def test_lock_held_longer_than_busy_timeout(homeserver, users, bots):
    """Another program holds BEGIN EXCLUSIVE for 15 s (the busy timeout is
    5 s): one error line naming the lock, nothing answered meanwhile, then
    "writing works again" and every command of the meantime answered once."""
    async def body():
        async with world(homeserver, users, bots) as w:
            await w.ask("noord", "!hulp")
            mark = _log_size()
            other = sqlite3.connect(w.bot.database, timeout=20,
                                    isolation_level=None)
            try:
                other.execute("BEGIN EXCLUSIVE")
                ids = await _send(w, 3, "agenda")
                # Long enough for the bot to give up and retry (5 s each).
                assert await _wait_log(mark, "locked by another program", 30,
                                       w.bot), _log_since(mark)
                await asyncio.sleep(8)
                got = w.anna.replies_to(w.rooms["noord"], w.bot_id, ids)
                assert not any(got.values()), "answered while locked"
                assert w.bot.died() is None, w.bot.died()
            finally:
                other.execute("ROLLBACK")
                other.close()
            got = await w.anna.wait_replies(w.rooms["noord"], w.bot_id, ids,
                                            90, settle=3, abort=w.bot.died)
            exactly_once(got)
            log = _log_since(mark)
            assert "writing works again" in log, log
            errs = _errors(log)
            assert len(errs) == 1, "\n".join(errs)
            assert "end that program's transaction" in errs[0], errs[0]
    run(body())


@contextlib.contextmanager
def _tmpfs(path, size):
    """A small tmpfs at path (skips the test where mount is not allowed)."""
    os.makedirs(path, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}",
                        "tmpfs", path], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", path], capture_output=True)


def _fill(path):
    """Fill the file system of path to the last byte; returns the filler."""
    filler = os.path.join(path, "filler")
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for size in (1 << 20, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler


def test_disk_full_then_freed(homeserver, users, bots):
    """The database on a 16 MB tmpfs, filled to the last byte: one error
    line "disk is full", nothing answered (and nothing lost) until space is
    freed, then every command of the meantime answered once."""
    async def body():
        async with world(homeserver, users, bots, start=False) as w:
            disk = os.path.join(w.bot.workdir, "disk")
            with _tmpfs(disk, "16m"):
                w.bot.database = os.path.join(disk, "werktafel.db")
                w.bot.start()
                await w.anna.invite(w.rooms["noord"], w.bot_id)
                await w.wait_joined(w.rooms["noord"])
                await w.ask("noord", "!hulp")
                # The write-ahead log is reused in place: empty it first, so
                # the bot's next commit must grow it.
                db = sqlite3.connect(w.bot.database, timeout=20,
                                     isolation_level=None)
                busy, _, _ = db.execute(
                    "PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                db.close()
                assert busy == 0, "checkpoint blocked"
                mark = _log_size()
                filler = _fill(disk)
                ids = await _send(w, 3, "agenda")
                assert await _wait_log(mark, "the disk is full", 30, w.bot), \
                    _log_since(mark)
                await asyncio.sleep(5)
                got = w.anna.replies_to(w.rooms["noord"], w.bot_id, ids)
                assert not any(got.values()), "answered on a full disk?"
                assert w.bot.died() is None, w.bot.died()
                os.unlink(filler)
                got = await w.anna.wait_replies(w.rooms["noord"], w.bot_id,
                                                ids, 90, settle=3,
                                                abort=w.bot.died)
                exactly_once(got)
                log = _log_since(mark)
                assert "writing works again" in log, log
                errs = _errors(log)
                assert len(errs) == 1, "\n".join(errs)
                assert "free space" in errs[0], errs[0]
                assert w.bot.stop() == 0
    run(body())


def test_damaged_page_while_running(homeserver, users, bots):
    """A page of handled_events damaged under the running bot: at the next
    command it says the database is damaged (one error line, what to do)
    and exits with status 4, answering nothing."""
    async def body():
        async with world(homeserver, users, bots) as w:
            await w.ask("noord", "!hulp")
            db = sqlite3.connect(w.bot.database, timeout=20,
                                 isolation_level=None)
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            page = db.execute("PRAGMA page_size").fetchone()[0]
            roots = [r[0] for r in db.execute(
                "SELECT rootpage FROM sqlite_master WHERE tbl_name ="
                " 'handled_events' AND rootpage > 0")]
            db.close()
            assert roots
            with open(w.bot.database, "r+b") as f:
                for r in roots:
                    f.seek((r - 1) * page)
                    f.write(os.urandom(page))
            # Another connection's commit makes the bot drop its page cache.
            db = sqlite3.connect(w.bot.database, timeout=20,
                                 isolation_level=None)
            db.execute("INSERT INTO kv(key, value) VALUES ('test.poke', '1')"
                       " ON CONFLICT(key) DO UPDATE SET value = '2'")
            db.close()
            mark = _log_size()
            eid = await w.command("noord", "!hulp agenda")
            deadline = time.monotonic() + 30
            while w.bot.running() and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            assert not w.bot.running(), "still running on a damaged database"
            assert w.bot.proc.returncode == 4, w.bot.died()
            log = _log_since(mark)
            errs = _errors(log)
            assert len(errs) == 1, "\n".join(errs)
            assert "is damaged" in errs[0] and "restore" in errs[0], errs[0]
            await asyncio.sleep(1)
            got = w.anna.replies_to(w.rooms["noord"], w.bot_id, [eid])
            assert not got[eid], "answered on a damaged database"
    run(body())
