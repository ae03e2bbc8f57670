"""Catch-up after downtime (issue 12, point 5): the bot is stopped, 5,000
messages go into a network room, the bot starts again, and every command
among them is answered exactly once, however far back it lies.

The commands (the very first message, the very last and 100 in between)
come from five members, each at most about 13 a minute of send time, so
the test holds under any sane per-sender rate limit on commands. Replies
are counted per command through m.relates_to.m.in_reply_to, read back from
the room's history with /messages (a member's own sync may be cut), and
the bot's peak RSS is printed (a figure, not an assertion on time).
"""

import asyncio
import os
import time

from backlog import replies_since
from helpers import BOT_LOG, exactly_once, joined_member, run, world
from servers import FORWARD_FROM_SYNC, server_only

TOTAL = 5000          # messages sent while the bot is down
BETWEEN = 100         # commands between the first and the last message
MEMBERS = 5           # senders of the commands (anna and four more)
SEND_SECONDS = 100    # the sending is paced to take at least this long
WORKERS = 16          # concurrent sends
REPLY_WAIT = 300      # seconds for the bot to answer the whole backlog
# Far above what one page of 100 events needs, far below what holding a
# backlog of this size would: a bound on memory, not on time.
RSS_BOUND_KB = 64 * 1024


def _plan():
    """[(index, sender number, body, is command)] of the messages in order."""
    cmds = {0, TOTAL - 1}
    cmds.update(round(k * (TOTAL - 1) / (BETWEEN + 1))
                for k in range(1, BETWEEN + 1))
    plan, ncmd = [], 0
    for i in range(TOTAL):
        if i in cmds:
            plan.append((i, ncmd % MEMBERS, "!hulp", True))
            ncmd += 1
        else:
            plan.append((i, i % MEMBERS, f"Bericht {i}: gewone tekst, geen "
                         "opdracht.", False))
    return plan


async def _bot_replies(member, room, start, bot_id):
    """{command event id: number of bot replies} from the events after the
    token start, read forward with /messages (only the bot's)."""
    counts, _ = await replies_since(member, room, start, bot_id)
    return counts


async def _pause_sync(member):
    """Stop the member's background sync loop (sending goes on)."""
    if member._task:
        member._task.cancel()
        try:
            await member._task
        except (asyncio.CancelledError, Exception):
            pass
        member._task = None


@server_only("synapse", FORWARD_FROM_SYNC)
def test_catchup_of_5000_messages(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            members = [w.anna]
            try:
                for k in range(1, MEMBERS):
                    _uid, m = await joined_member(homeserver, users, w, f"lid{k}")
                    members.append(m)
                assert w.bot.stop() == 0
                # Nobody reads along while the backlog is written: each
                # member's long-poll would wake on every message and slow
                # Synapse down more than the sending itself.
                for m in members:
                    await _pause_sync(m)
                # Replies are read from here on.
                start = w.anna.client.next_batch
                plan = _plan()
                ids = {}
                t0 = time.monotonic()

                async def send(i, who, text, is_cmd):
                    eid = await members[who].send_text(room, text)
                    if is_cmd:
                        ids[i] = eid

                await send(*plan[0])
                queue = asyncio.Queue()
                for item in plan[1:-1]:
                    queue.put_nowait(item)

                async def worker():
                    while True:
                        try:
                            item = queue.get_nowait()
                        except asyncio.QueueEmpty:
                            return
                        due = t0 + item[0] * SEND_SECONDS / TOTAL
                        await asyncio.sleep(max(0.0, due - time.monotonic()))
                        await send(*item)

                await asyncio.gather(*(worker() for _ in range(WORKERS)))
                await asyncio.sleep(max(0.0, t0 + SEND_SECONDS - time.monotonic()))
                await send(*plan[-1])
                sent_s = time.monotonic() - t0
                per_member = {}
                for i, who, _t, is_cmd in plan:
                    if is_cmd:
                        per_member[who] = per_member.get(who, 0) + 1
                print(f"\nsent {TOTAL} messages ({len(ids)} commands, per "
                      f"member {sorted(per_member.values())}) in {sent_s:.0f} s")
                assert len(ids) == BETWEEN + 2

                log_at = os.path.getsize(BOT_LOG)
                t1 = time.monotonic()
                w.bot.start()
                want = set(ids.values())
                deadline = t1 + REPLY_WAIT
                counts, rss = {}, None
                while time.monotonic() < deadline:
                    assert w.bot.died() is None, w.bot.died()
                    rss = w.bot.peak_rss_kb() or rss
                    counts = await _bot_replies(w.anna, room, start, w.bot_id)
                    if want <= set(counts):
                        break
                    await asyncio.sleep(2)
                caught_s = time.monotonic() - t1
                await asyncio.sleep(5)  # duplicates would come now
                rss = w.bot.peak_rss_kb() or rss
                counts = await _bot_replies(w.anna, room, start, w.bot_id)
                print(f"caught up in {caught_s:.0f} s; bot peak RSS "
                      f"{rss} KiB")
                got = {eid: [None] * counts.get(eid, 0) for eid in want}
                missing = [i for i, eid in sorted(ids.items())
                           if not counts.get(eid)]
                assert not missing, (f"{len(missing)} commands unanswered, "
                                     f"at message {missing[:10]}")
                exactly_once(got)
                with open(BOT_LOG, "rb") as f:
                    f.seek(log_at)
                    log = f.read().decode(errors="replace")
                assert "not handled" not in log, log[-3000:]
                assert rss is not None and rss < RSS_BOUND_KB, rss
            finally:
                for m in members[1:]:
                    await m.close()
    run(body(), timeout=SEND_SECONDS + REPLY_WAIT + 300)
