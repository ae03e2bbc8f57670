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


def test_restored_backup_does_not_replay(synapse, users, bots):
    async def body():
        async with world(synapse, users, bots) as w:
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
            # Restore the older copy.
            for p in _db_files(w.bot.database):
                if os.path.exists(p):
                    os.unlink(p)
            shutil.copyfile(backup, w.bot.database)
            # Synapse keeps each /sync response for 2 minutes, keyed by the
            # since token and the device; a copy restored seconds later would
            # be served the first run's cached one-event responses, which no
            # real restore sees. Without the stored token the bot logs in
            # again (a new device, as on a new machine), and Synapse computes
            # the history since the old sync token afresh, in one response.
            db = sqlite3.connect(w.bot.database)
            db.execute("DELETE FROM kv WHERE key IN ('matrix.access_token',"
                       " 'matrix.device_id')")
            db.commit()
            db.close()
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
