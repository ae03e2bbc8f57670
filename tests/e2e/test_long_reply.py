"""A reply too large for one event (issue 15, item 3) is never lost nor
refused by the homeserver in silence.

No command makes one today (lists are paged at 20, fields are bounded,
`!al` shows the last updates only); bot/message.c splits or files what
would be too large when it is written (tests/unit/test_outbox_window.c).
Here the sending side meets a real Synapse: an outbox row of a 200 KiB
reply, written as the bot writes a reply (the columns and JSON of
storage/outbox.c and bot/message.c) while the bot is down, as a version
of the bot that did not split yet would have left it. Started, the bot
sends its text as a file in reply to the command; the file holds the
text whole, and the row leaves the outbox (not marked failed).
"""

import asyncio
import json
import secrets
import sqlite3
import time

from helpers import REPLY_TIMEOUT, run, world

LINES = 2500


def _long_text():
    return "\n".join(f"- regel {i}: actie voor het netwerk, met een datum "
                     f"en een eigenaar" for i in range(LINES))


def _insert_row(path, room, command, sender, text):
    content = {"msgtype": "m.notice", "body": text,
               "format": "org.matrix.custom.html",
               "formatted_body": "<ul>" + "".join(
                   f"<li>{line[2:]}</li>" for line in text.split("\n"))
               + "</ul>",
               "m.mentions": {},
               "m.relates_to": {"m.in_reply_to": {"event_id": command}}}
    db = sqlite3.connect(path, timeout=20)
    try:
        with db:
            cur = db.execute(
                "INSERT INTO outbox(room_id, txn_id, event_type, content,"
                " created_at, answers, grp) VALUES (?, ?, 'm.room.message',"
                " ?, ?, ?, ?)",
                (room, "wt-new-" + secrets.token_hex(8),
                 json.dumps(content, ensure_ascii=False,
                            separators=(",", ":")),
                 int(time.time()), sender, command))
            rid = cur.lastrowid
            db.execute("UPDATE outbox SET txn_id = ? WHERE id = ?",
                       (f"wt-{rid}-{secrets.token_hex(8)}", rid))
        return len(json.dumps(content))
    finally:
        db.close()


def _outbox(path):
    db = sqlite3.connect(path, timeout=20)
    try:
        return db.execute("SELECT COUNT(*), COUNT(failed_at) FROM outbox"
                          ).fetchone()
    finally:
        db.close()


def test_reply_too_large_arrives_as_file(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            cmd, _ = await w.ask("noord", "!hulp")
            assert w.bot.stop() == 0
            text = _long_text()
            size = _insert_row(w.bot.database, room, cmd, w.anna.user_id, text)
            assert size > 65536, size
            w.bot.start()
            deadline = time.monotonic() + REPLY_TIMEOUT * 3
            files = []
            while time.monotonic() < deadline and not files:
                assert w.bot.died() is None, w.bot.died()
                files = [r for r in w.anna.replies(room, w.bot_id)
                         if r.in_reply_to == cmd and r.msgtype == "m.file"]
                await asyncio.sleep(0.2)
            assert len(files) == 1, files
            status, data, ctype = await w.anna.download(files[0].url)
            assert status == 200, status
            assert ctype.startswith("text/plain"), ctype
            assert data.decode() == text
            await asyncio.sleep(2)  # a double would come now
            again = [r for r in w.anna.replies(room, w.bot_id)
                     if r.in_reply_to == cmd and r.msgtype == "m.file"]
            assert len(again) == 1, again
            assert _outbox(w.bot.database) == (0, 0)
    run(body())
