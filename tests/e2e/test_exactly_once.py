"""Exactly once without trusting the homeserver's transaction memory
(issue 12, item 6), on Synapse and on Dendrite (fixture homeserver).

Dendrite keeps txn ids in memory, per access token: it forgets them when a
request is cut off, after its own restart and after a new login, so a
retry with the same txn id would post the reply twice. The bot puts its
outbox id into every event ("org.werktafel.outbox") and, before it sends
anything again whose first try had an unknown outcome, looks for that id
among its own recent events in the room.

The fault proxy sits between the bot and the homeserver and cuts the
bot's reply in the chosen way; the replies are counted by anna's own nio
client, connected to the homeserver directly.
"""

import asyncio
import os
import time

import pytest

from faultproxy import FaultProxy
from helpers import BOT_LOG, check_reply, exactly_once, run, world
from synapse import http_json

SEND = r"/send/m\.room\.message/"
KEY = "org.werktafel.outbox"
HOLD_TIMEOUT = 30
REPLY_TIMEOUT = 90


def _bot_log_since(offset):
    with open(BOT_LOG, "rb") as f:
        f.seek(offset)
        return f.read().decode(errors="replace")


def _looked_up_after(proxy, t):
    """The bot's look-ups in a room's timeline since monotonic time t."""
    return [r for r in proxy.requests("GET", r"/messages$") if r[0] >= t]


async def _held_reply(w, proxy):
    """Arm a forward-hold on the bot's next message, send a command and
    wait until the homeserver has stored the reply and the proxy holds its
    answer. Returns (rule, command event id)."""
    rule = proxy.fail("PUT", SEND, "forward-hold")
    eid = await w.command("noord", "!agenda")
    await asyncio.to_thread(rule.wait_held, HOLD_TIMEOUT)
    assert rule.upstream_status == 200, \
        f"the homeserver answered {rule.upstream_status} to the first try"
    return rule, eid


async def _one_reply(w, eid):
    """Wait for the replies to eid (and a while longer for a second one);
    assert there is exactly one, a proper reply carrying its outbox id."""
    room = w.rooms["noord"]

    async def read_back():
        # The room's history is what counts: after a restart Dendrite may
        # never send the stored reply down the client's /sync.
        while True:
            await asyncio.sleep(3)
            await w.anna.read_back(room)

    reader = asyncio.create_task(read_back())
    try:
        got = await w.anna.wait_replies(room, w.bot_id, [eid], REPLY_TIMEOUT,
                                        settle=5, abort=w.bot.died)
        await w.anna.read_back(room)
    finally:
        reader.cancel()
    got = w.anna.replies_to(room, w.bot_id, [eid])
    exactly_once(got)
    reply = got[eid][0]
    check_reply(reply, eid)
    oid = reply.raw.get("content", {}).get(KEY)
    assert isinstance(oid, str) and oid.startswith("wt-"), reply.raw
    return reply


@pytest.mark.parametrize("mode", ["forward-cut", "cut-mid"])
def test_send_cut_off_mid_request(homeserver, hs_users, hs_bots, mode):
    """The bot's PUT of a reply is cut off: after the server stored the
    event and answered (forward-cut), or while the server was still at it
    (cut-mid: the request handed over whole, that connection closed at
    once). The bot looks in the room before it sends again: one reply."""
    proxy = FaultProxy(homeserver.url).start()

    async def body():
        async with world(homeserver, hs_users, hs_bots,
                         homeserver=proxy.url) as w:
            await w.ask("noord", "!hulp")
            armed = time.monotonic()
            proxy.fail("PUT", SEND, mode)
            eid = await w.command("noord", "!agenda")
            await _one_reply(w, eid)
            cuts = [r for r in proxy.requests("PUT", SEND)
                    if r[0] >= armed and r[3] == 0]
            assert cuts, "the proxy cut no send"
            assert _looked_up_after(proxy, cuts[0][0]), \
                "the bot did not look in the room before sending again"
    try:
        run(body())
    finally:
        proxy.stop()


def test_homeserver_restarted_between_send_and_answer(homeserver, hs_users,
                                                      hs_bots):
    """The homeserver stores the reply, then restarts before its answer
    reaches the bot (the proxy holds it, then cuts the connection): one
    reply, where Dendrite has forgotten the txn id."""
    proxy = FaultProxy(homeserver.url).start()

    async def body():
        async with world(homeserver, hs_users, hs_bots,
                         homeserver=proxy.url) as w:
            await w.ask("noord", "!hulp")
            rule, eid = await _held_reply(w, proxy)
            await asyncio.to_thread(homeserver.restart)
            mark = time.monotonic()
            rule.release()
            await _one_reply(w, eid)
            assert _looked_up_after(proxy, mark), \
                "the bot did not look in the room before sending again"
            assert w.bot.starts == 1
    try:
        run(body(), timeout=300)
    finally:
        proxy.stop()


def test_new_login_between_send_and_retry(homeserver, hs_users, hs_bots):
    """The reply is stored, its answer cut off, and the bot's access token
    revoked meanwhile (every device of the bot logged out through the
    API): the bot logs in again, gets a new token (for which Dendrite
    knows no txn id) and still answers once."""
    proxy = FaultProxy(homeserver.url).start()

    async def body():
        t0 = time.monotonic()
        async with world(homeserver, hs_users, hs_bots,
                         homeserver=proxy.url) as w:
            await w.ask("noord", "!hulp")
            # A token refused within 10 s of a login stops the bot (no
            # login loop); the revocation comes later than that.
            await asyncio.sleep(max(0.0, t0 + 11 - time.monotonic()))
            log_mark = os.path.getsize(BOT_LOG)
            rule, eid = await _held_reply(w, proxy)
            localpart = w.bot_id[1:].split(":", 1)[0]
            tok = (await asyncio.to_thread(
                homeserver.login, localpart, w.bot.password))["access_token"]
            await asyncio.to_thread(
                http_json, "POST",
                homeserver.url + "/_matrix/client/v3/logout/all", {}, tok)
            rule.release()
            await _one_reply(w, eid)
            log = _bot_log_since(log_mark)
            assert "logging in again" in log, \
                "the bot did not log in again:\n" + log[-3000:]
            assert w.bot.died() is None, w.bot.died()
    try:
        run(body(), timeout=300)
    finally:
        proxy.stop()


def test_bot_killed_waiting_for_the_answer(homeserver, hs_users, hs_bots):
    """The bot is SIGKILLed while the homeserver's answer to its reply is
    held; the next run finds the reply in the room (the row was marked
    tried) and does not send it again."""
    proxy = FaultProxy(homeserver.url).start()

    async def body():
        async with world(homeserver, hs_users, hs_bots,
                         homeserver=proxy.url) as w:
            await w.ask("noord", "!hulp")
            rule, eid = await _held_reply(w, proxy)
            w.bot.kill()
            rule.release()
            log_mark = os.path.getsize(BOT_LOG)
            w.bot.start()
            await _one_reply(w, eid)
            log = _bot_log_since(log_mark)
            assert "not sent again" in log, log[-3000:]
    try:
        run(body(), timeout=300)
    finally:
        proxy.stop()
