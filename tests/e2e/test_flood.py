"""Flooding (issue 12, item 9): one member sending commands as fast as the
client can gets the burst, the refill and ONE rate-limit notice, in the
room's language, saying from when they are answered again; the commands
over the limit get no reply and are not answered later; another member's
command sent in the middle of the flood is answered (its latency, and the
same member's before the flood, are printed, not asserted)."""

import asyncio
import os
import time

from helpers import BOT_LOG, REPLY_TIMEOUT, joined_member, run, world

FLOOD = 150
NOTICE = "te veel commando's kort na elkaar"


def _log_since(offset):
    with open(BOT_LOG, "rb") as f:
        f.seek(offset)
        return f.read().decode(errors="replace")


async def _settled(member, room, sender, ids, quiet=3.0, timeout=60):
    """Replies to ids once no new one came for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        n = sum(len(v) for v in member.replies_to(room, sender, ids).values())
        if n != last:
            last, since = n, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
        await asyncio.sleep(0.1)
    return member.replies_to(room, sender, ids)


def test_flood_gets_one_notice(homeserver, users, bots):
    async def body():
        log_at = os.path.getsize(BOT_LOG) if os.path.exists(BOT_LOG) else 0
        async with world(homeserver, users, bots, commands_per_minute=30,
                         command_burst=20) as w:
            room = w.rooms["noord"]
            uid, bram = await joined_member(homeserver, users, w, "bram")
            try:
                t = time.monotonic()
                eid = await bram.send_text(room, "!hulp")
                got = await bram.wait_replies(room, w.bot_id, [eid],
                                              REPLY_TIMEOUT, abort=w.bot.died)
                before = got[eid][0].received - t

                flood_ids = []
                sent_at = {}

                async def flood():
                    for i in range(FLOOD):
                        e, ts = await w.anna.send_raw(
                            room, "m.room.message",
                            {"msgtype": "m.text", "body": "!hulp"})
                        flood_ids.append(e)
                        sent_at[e] = ts

                task = asyncio.create_task(flood())
                # Right after the burst (the flooder's 20 answers may still
                # be in the room's outbox queue), and in the middle.
                while len(flood_ids) < 21:
                    await asyncio.sleep(0.01)
                t = time.monotonic()
                early = await bram.send_text(room, "!hulp")
                got = await bram.wait_replies(room, w.bot_id, [early],
                                              REPLY_TIMEOUT, abort=w.bot.died)
                after_burst = got[early][0].received - t
                while len(flood_ids) < FLOOD // 2:
                    await asyncio.sleep(0.01)
                t = time.monotonic()
                mid = await bram.send_text(room, "!hulp")
                got = await bram.wait_replies(room, w.bot_id, [mid],
                                              REPLY_TIMEOUT, abort=w.bot.died)
                during = got[mid][0].received - t
                await task
                span = max(sent_at.values()) - min(sent_at.values())

                replies = await _settled(w.anna, room, w.bot_id, flood_ids)
                allr = [r for v in replies.values() for r in v]
                notices = [r for r in allr if NOTICE in (r.body or "")]
                answered = [r for r in allr if NOTICE not in (r.body or "")]
                assert len(notices) == 1, [r.body for r in notices]
                assert "vóór" in notices[0].body and "per minuut" in \
                    notices[0].body, notices[0].body
                # No command has two replies; the burst and at most the
                # refill of the flood's span (plus rounding) are answered.
                assert all(len(v) <= 1 for v in replies.values())
                assert 20 <= len(answered) <= 20 + int(span / 2) + 2, \
                    (len(answered), span)
                # The other member: exactly one ordinary answer.
                for e in (early, mid):
                    mine = bram.replies_to(room, w.bot_id, [e])[e]
                    assert len(mine) == 1 and NOTICE not in mine[0].body
                # Held commands are not answered later, also not after a
                # restart (they were recorded as handled).
                w.bot.stop()
                w.bot.start()
                e2 = await bram.send_text(room, "!hulp")
                await bram.wait_replies(room, w.bot_id, [e2], REPLY_TIMEOUT,
                                        abort=w.bot.died)
                await asyncio.sleep(2)
                again = w.anna.replies_to(room, w.bot_id, flood_ids)
                assert sum(len(v) for v in again.values()) == len(allr)
                log = _log_since(log_at)
                assert log.count("rate limit: commands of") == 1, log[-3000:]
                print(f"\nflood of {FLOOD} commands over {span:.1f} s: "
                      f"{len(answered)} answered, 1 notice; the other "
                      f"member's reply took {before * 1000:.0f} ms before "
                      f"the flood, {after_burst * 1000:.0f} ms right after "
                      f"its burst, {during * 1000:.0f} ms in its middle")
            finally:
                await bram.close()
    run(body())
