"""A backlog of commands written while a bot is down, and how the bot
answers it once it is up (tests/e2e/bench_backlog.py; other benchmarks
import it for other bots).

send_backlog() writes the commands (a member's client, a few sends at a
time); replies_since() counts a bot's replies per command from the rooms'
history (/messages read forward from a token, only the bot's events, the
command found through m.relates_to.m.in_reply_to, as the reply quotes it);
drain() waits until every command has a reply and reports when the last
came (the homeserver's origin_server_ts, not the time we polled).
"""

import asyncio
import time

from nio import MessageDirection, RoomMessagesResponse


async def send_backlog(member, rooms, n, body, workers=16):
    """Send n commands `body` spread round-robin over rooms; returns
    {room: [command event ids]}."""
    ids = {r: [] for r in rooms}
    queue = asyncio.Queue()
    for i in range(n):
        queue.put_nowait(rooms[i % len(rooms)])

    async def worker():
        while True:
            try:
                room = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            ids[room].append(await member.send_text(room, body))

    await asyncio.gather(*(worker() for _ in range(workers)))
    return ids


async def replies_since(member, room, start, bot_id):
    """({command event id: number of bot replies}, latest reply
    origin_server_ts in ms or None) from the bot's events after start."""
    counts, token, last, pages = {}, start, None, 0
    flt = {"senders": [bot_id], "types": ["m.room.message"]}
    while True:
        resp = await member.client.room_messages(
            room, start=token, direction=MessageDirection.front, limit=500,
            message_filter=flt)
        if not isinstance(resp, RoomMessagesResponse):
            raise RuntimeError(f"/messages failed: {resp}")
        for ev in resp.chunk:
            content = ev.source.get("content") or {}
            rel = (content.get("m.relates_to") or {}).get("m.in_reply_to") or {}
            eid = rel.get("event_id")
            if eid:
                counts[eid] = counts.get(eid, 0) + 1
                ts = ev.source.get("origin_server_ts")
                if isinstance(ts, int) and (last is None or ts > last):
                    last = ts
        # The end is where no end token comes (or the same one): a page
        # may be empty and still not the end, as on Dendrite, which
        # filters (senders) after it took the page's events.
        pages += 1
        if not resp.end or resp.end == token or pages > 200:
            return counts, last
        token = resp.end


async def drain(member, ids, starts, bot_id, started_at, timeout,
                died=lambda: None, poll=2.0, settle=5.0):
    """Wait until every command in ids ({room: [event ids]}) has a reply
    (starts: {room: token before the backlog}; started_at: the wall time
    time.time() the bot was started). Returns a dict: answered (commands
    with a reply), once (with exactly one), extra (replies beyond one),
    total, seconds (to the last reply), per_second."""
    want = {e for v in ids.values() for e in v}
    deadline = time.monotonic() + timeout
    counts, last = {}, None
    while True:
        counts, last = {}, None
        for room in ids:
            c, ts = await replies_since(member, room, starts[room], bot_id)
            counts.update(c)
            if ts is not None and (last is None or ts > last):
                last = ts
        if want <= set(counts) or time.monotonic() > deadline or died():
            break
        await asyncio.sleep(poll)
    # Doubles would come now: look once more after a pause.
    await asyncio.sleep(settle)
    counts, last2 = {}, None
    for room in ids:
        c, ts = await replies_since(member, room, starts[room], bot_id)
        counts.update(c)
        if ts is not None and (last2 is None or ts > last2):
            last2 = ts
    got = [counts.get(e, 0) for e in want]
    seconds = (last2 / 1000.0 - started_at) if last2 else None
    answered = sum(1 for c in got if c)
    return {
        "total": len(want),
        "answered": answered,
        "once": sum(1 for c in got if c == 1),
        "extra": sum(c - 1 for c in got if c > 1),
        "seconds": seconds,
        "per_second": (answered / seconds) if seconds else None,
    }
