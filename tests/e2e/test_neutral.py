"""Server-neutral behaviour (issue 21, item 2), each test on Synapse and on
Dendrite (fixture homeserver).

- An invite whose invite_state lacks the bot's own member event (the spec
  does not promise it): the fault proxy strips it from every sync answer; the
  bot still joins its configured room.
- A stored filter id the server does not know: Synapse refuses it (404
  M_NOT_FOUND), Dendrite answers 200 and ignores it; either way the bot
  sends the filter inline from then on (on Dendrite once an answer holds
  what the filter excludes: a room topic) and keeps answering.
- A since token that is not the server's: the bot probes without it and
  starts again from now, and keeps answering.
- A sync refused for another reason (400 M_FORBIDDEN, injected by the
  proxy): the token is kept, so a command sent meanwhile is answered (a
  bot that took any 400 for a foreign token would skip it as history).
"""

import asyncio
import os
import sqlite3
import time

from faultproxy import FaultProxy
from helpers import BOT_LOG, check_reply, run, world

REPLY_TIMEOUT = 60


def _log_size():
    try:
        return os.path.getsize(BOT_LOG)
    except OSError:
        return 0


def _log_since(offset):
    with open(BOT_LOG, "rb") as f:
        f.seek(offset)
        return f.read().decode(errors="replace")


async def _wait_log(offset, text, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in _log_since(offset):
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"the bot never logged {text!r}")


def _set_kv(bot, key, value):
    db = sqlite3.connect(bot.database)
    with db:
        db.execute("UPDATE kv SET value = ? WHERE key = ?", (value, key))
    db.close()


def _kv(bot, key):
    db = sqlite3.connect(bot.database)
    row = db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
    db.close()
    return row[0] if row else None


async def _answers(w):
    eid, got = await w.ask("noord", "!agenda", timeout=REPLY_TIMEOUT)
    check_reply(got[0], eid)


def test_invite_without_own_member_event(homeserver, hs_users, hs_bots):
    stripped = []

    def strip(data):
        for room_id, room in data.get("rooms", {}).get("invite", {}).items():
            events = room.get("invite_state", {}).get("events", [])
            keep = [e for e in events if not (
                e.get("type") == "m.room.member"
                and e.get("state_key") == bot_id[0])]
            if len(keep) != len(events):
                stripped.append(room_id)
            room["invite_state"]["events"] = keep

    bot_id = [None]
    proxy = FaultProxy(homeserver.url).start()
    for _ in range(200):
        proxy.inject_sync(strip)

    async def body():
        async with world(homeserver, hs_users, hs_bots, homeserver=proxy.url,
                         start=False) as w:
            bot_id[0] = w.bot.user_id
            offset = _log_size()
            w.bot.start()
            # The invite comes in an incremental sync, which the proxy sees.
            await _wait_log(offset, "first sync: history skipped")
            room = w.rooms["noord"]
            await w.anna.invite(room, w.bot.user_id)
            await w.wait_joined(room)
            assert room in stripped, "the proxy never stripped the invite"
            await _answers(w)
    try:
        run(body())
    finally:
        proxy.stop()


def test_unknown_filter_id(homeserver, hs_users, hs_bots):
    async def body():
        start = _log_size()
        async with world(homeserver, hs_users, hs_bots) as w:
            await _answers(w)
            w.bot.stop()
            # A filter the server knows is no filter it ignores.
            assert "sending the filter with each sync" not in _log_since(start)
            assert _kv(w.bot, "sync.filter_id")
            _set_kv(w.bot, "sync.filter_id", "424242")
            offset = _log_size()
            w.bot.start()
            await _wait_log(offset, "connected to", timeout=60)
            # Something the filter excludes, for a server that ignores it.
            await w.anna.send_state(w.rooms["noord"], "m.room.topic",
                                    {"topic": "Werktafel van noord"})
            await _wait_log(offset, "sending the filter with each sync", timeout=60)
            await _answers(w)
            log = _log_since(offset)
            assert log.count("sending the filter with each sync") == 1
            if getattr(homeserver, "kind", "synapse") == "dendrite":
                assert "the homeserver ignored the sync filter id" in log
            else:
                assert "the homeserver refused the sync filter id" in log
            assert _kv(w.bot, "sync.filter_id") is None
    run(body())


def test_foreign_since_token(homeserver, hs_users, hs_bots):
    async def body():
        async with world(homeserver, hs_users, hs_bots) as w:
            await _answers(w)
            w.bot.stop()
            _set_kv(w.bot, "sync.next_batch", "from-another-server_9")
            offset = _log_size()
            w.bot.start()
            await _wait_log(offset, "starting again from now", timeout=60)
            await _answers(w)
            assert _kv(w.bot, "sync.next_batch") != "from-another-server_9"
    run(body())


def test_other_refusal_keeps_sync_token(homeserver, hs_users, hs_bots):
    proxy = FaultProxy(homeserver.url).start()

    async def body():
        async with world(homeserver, hs_users, hs_bots,
                         homeserver=proxy.url) as w:
            await _answers(w)
            offset = _log_size()
            t = time.monotonic()
            proxy.fail("GET", r"/sync$", "400 M_FORBIDDEN", count=3)
            # The long-poll in flight ends with something new: a message.
            await w.anna.send_text(w.rooms["noord"], "gewone tekst")
            deadline = time.monotonic() + 30
            while not [r for r in proxy.requests("GET", r"/sync$")
                       if r[0] >= t and r[3] == 400]:
                assert time.monotonic() < deadline, "no sync was refused"
                await asyncio.sleep(0.1)
            await _answers(w)   # sent while the syncs are refused
            log = _log_since(offset)
            assert "sync refused (HTTP 400 M_FORBIDDEN)" in log
            assert "starting again from now" not in log
            assert len([r for r in proxy.requests("GET", r"/sync$")
                        if r[0] >= t and r[3] == 400]) == 3
    try:
        run(body())
    finally:
        proxy.stop()
