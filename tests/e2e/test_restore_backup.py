"""A database restored from an older backup (issue 12, item 7): its sync
token is older, so the homeserver sends the history since then again; the
bot's own replies and reactions in it mark those commands handled. Nothing
is answered or logged twice (what was logged after the backup is gone with
the restore, and is not redone), and a command sent while the bot was down
is answered once.
"""

import asyncio
import os
import shutil
import sqlite3

from helpers import REPLY_TIMEOUT, exactly_once, run, world
from servers import FORWARD_FROM_SYNC, server_only
from test_catchup import _bot_replies

# More events than the sync timeline holds (100, see matrix_filter_json in
# bot/matrix.c): the restored bot's sync is cut and it pages through the gap.
FILLER = 150


def _reactions(member, room, bot_id, event_ids):
    """{event id: number of the bot's reactions on it}."""
    n = {e: 0 for e in event_ids}
    for ev in member.events(room):
        if ev.get("type") != "m.reaction" or ev.get("sender") != bot_id:
            continue
        rel = (ev.get("content") or {}).get("m.relates_to") or {}
        if rel.get("rel_type") == "m.annotation" and rel.get("event_id") in n:
            n[rel["event_id"]] += 1
    return n


def _db_files(path):
    return [path + s for s in ("", "-wal", "-shm")]


def _restore(bot, backup):
    """Put the older copy back, and drop the stored login (see below)."""
    for p in _db_files(bot.database):
        if os.path.exists(p):
            os.unlink(p)
    shutil.copyfile(backup, bot.database)
    # Synapse keeps each /sync response for 2 minutes, keyed by the since
    # token and the device; a copy restored seconds later would be served
    # the first run's cached responses, which no real restore sees. Without
    # the stored token the bot logs in again (a new device, as on a new
    # machine), and Synapse computes the history since the old sync token
    # afresh.
    # A new device needs a new crypto store: the old device's store is
    # moved away and the database forgets its keys, the decision the bot
    # asks for (it refuses to start with another device's store).
    db = sqlite3.connect(bot.database)
    db.execute("DELETE FROM kv WHERE key IN ('matrix.access_token',"
               " 'matrix.device_id') OR key LIKE 'crypto.%'")
    db.commit()
    db.close()
    store = bot.database + ".crypto"
    if os.path.isdir(store):
        shutil.rmtree(store)


async def _fill(member, room, n, tag):
    """Send n plain messages (no commands), a few at a time."""
    queue = list(range(n))

    async def worker():
        while queue:
            i = queue.pop(0)
            await member.send_text(room, f"{tag} {i}: gewone tekst, geen opdracht.")

    await asyncio.gather(*(worker() for _ in range(8)))


async def _wait_counts(member, room, start, bot_id, want, timeout, died):
    """Poll the bot's replies (via /messages) until every command in want
    has one; returns {command event id: number of replies}."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        assert died() is None, died()
        counts = await _bot_replies(member, room, start, bot_id)
        if all(counts.get(e) for e in want) or loop.time() > deadline:
            return counts
        await asyncio.sleep(1)


def test_restored_backup_does_not_replay(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            first, _ = await w.ask("noord", "!besluit Eerste besluit van de proef")
            await w.anna.wait_for(
                lambda: _reactions(w.anna, room, w.bot_id, [first])[first],
                REPLY_TIMEOUT, "the check mark", abort=w.bot.died)
            # The backup: the file while the bot is stopped.
            assert w.bot.stop() == 0
            backup = os.path.join(w.bot.workdir, "backup.db")
            shutil.copyfile(w.bot.database, backup)
            w.bot.start()
            later = []
            for text in ("Tweede besluit", "Derde besluit"):
                eid, _ = await w.ask("noord", f"!besluit {text}")
                later.append(eid)
            help_id, _ = await w.ask("noord", "!hulp")
            later.append(help_id)
            assert w.bot.stop() == 0
            _restore(w.bot, backup)  # the older copy, a new login
            down = await w.command("noord", "!besluit Besluit terwijl de bot weg was")
            w.bot.start()
            got = await w.anna.wait_replies(room, w.bot_id, [down], 60,
                                            abort=w.bot.died)
            reg_id, reg = await w.ask("noord", "!besluiten", settle=3)
            ids = [first] + later + [down, reg_id]
            exactly_once(w.anna.replies_to(room, w.bot_id, ids))
            decisions = [first] + later[:2] + [down]
            acks = _reactions(w.anna, room, w.bot_id, decisions)
            assert all(n == 1 for n in acks.values()), acks
            # What was logged after the backup went with the restore (as
            # with any restore); it is not logged again behind the scenes.
            body_text = reg[0].body
            for text in ("Eerste besluit van de proef",
                         "Besluit terwijl de bot weg was"):
                assert body_text.count(text) == 1, body_text
            for text in ("Tweede besluit", "Derde besluit"):
                assert text not in body_text, body_text
            assert "(2 van 2" in body_text, body_text
    run(body())


@server_only("synapse", FORWARD_FROM_SYNC)
def test_restored_backup_with_a_long_gap(homeserver, users, bots):
    """After the backup, commands come while the bot is down, then more
    plain messages than one sync timeline holds; the bot answers the
    backlog in a burst, after all of them, so on the restored copy's
    catch-up the answers lie a page or more after their commands. None is
    answered again; a command sent before the restored bot starts is
    answered once."""
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            await w.ask("noord", "!hulp")
            assert w.bot.stop() == 0
            backup = os.path.join(w.bot.workdir, "backup.db")
            shutil.copyfile(w.bot.database, backup)
            start = w.anna.client.next_batch
            cmds = []
            for text in ("!hulp", "!besluit Besluit in de achterstand", "!hulp",
                         "!besluiten"):
                cmds.append(await w.command("noord", text))
            await _fill(w.anna, room, FILLER, "Voor")
            w.bot.start()
            counts = await _wait_counts(w.anna, room, start, w.bot_id, cmds,
                                        120, w.bot.died)
            assert all(counts.get(e) for e in cmds), counts
            await _fill(w.anna, room, FILLER, "Na")
            later, _ = await w.ask("noord", "!hulp")  # the bot read it all
            assert w.bot.stop() == 0
            _restore(w.bot, backup)
            down = await w.command("noord", "!hulp")
            w.bot.start()
            want = cmds + [later, down]
            counts = await _wait_counts(w.anna, room, start, w.bot_id, [down],
                                        120, w.bot.died)
            await asyncio.sleep(5)  # duplicates would come now
            counts = await _bot_replies(w.anna, room, start, w.bot_id)
            exactly_once({e: [None] * counts.get(e, 0) for e in want})
    run(body(), timeout=420)
