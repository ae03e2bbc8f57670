"""@room in an echoed field cannot ping the room (issue 12, bad input): a
title "... @room ..." comes back in the bot's reply, and the bot has the
power to notify the room; another member gets no highlight from it. The
control case shows the rule is live on this Synapse: the same words in a
message without m.mentions, from a member with that power, do highlight.

Two things stop the ping: every reply carries m.mentions (MSC3952, Matrix
1.7: the body-matching legacy rules, .m.rule.roomnotif among them, do not
apply to an event with m.mentions), and the plain body has a word joiner
after the '@' of "@room" for servers that still match the body."""

import asyncio
import urllib.parse

from helpers import REPLY_TIMEOUT, joined_member, run, world
from synapse import http_json
from servers import NO_ROOM_HIGHLIGHT, server_only


def _highlights(homeserver, token, room):
    """Event ids in room that highlight the token's user (/notifications)."""
    got = http_json("GET", homeserver.url + "/_matrix/client/v3/notifications"
                    "?only=highlight&limit=100", token=token)
    return [n["event"]["event_id"] for n in got.get("notifications", [])
            if n.get("room_id") == room]


@server_only("synapse", NO_ROOM_HIGHLIGHT)
def test_room_mention_in_echo_does_not_ping(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            q = urllib.parse.quote(room, safe="")
            pl_url = (homeserver.url + f"/_matrix/client/v3/rooms/{q}/state/"
                      "m.room.power_levels")
            token = w.anna.client.access_token
            pl = http_json("GET", pl_url, token=token)
            pl.setdefault("users", {})[w.bot_id] = 100
            http_json("PUT", pl_url, pl, token=token)
            uid, bram = await joined_member(homeserver, users, w, "bram")
            try:
                btoken = bram.client.access_token
                eid, got = await w.ask("noord", "!agenda voorstel Let op @room"
                                       " allemaal\nthema: samenwerking")
                reply = got[0]
                assert "@" in reply.body and "room" in reply.body, reply.raw
                assert reply.mentions == [], reply.raw
                assert "m.mentions" in reply.raw["content"], reply.raw
                # Control: anna (power 100) without m.mentions pings.
                ctrl, _ = await w.anna.send_raw(room, "m.room.message", {
                    "msgtype": "m.text", "body": "Let op @room allemaal"})
                # The word joiner alone (no m.mentions) already keeps the
                # legacy body rule from matching.
                wj, _ = await w.anna.send_raw(room, "m.room.message", {
                    "msgtype": "m.text", "body": "Let op @\u2060room allemaal"})
                await bram.wait_echo(room, ctrl, REPLY_TIMEOUT)
                await bram.wait_echo(room, wj, REPLY_TIMEOUT)
                await bram.wait_echo(room, reply.event_id, REPLY_TIMEOUT)
                await asyncio.sleep(1)
                hl = _highlights(homeserver, btoken, room)
                assert ctrl in hl, f"the control did not highlight: {hl}"
                assert wj not in hl, "@<word joiner>room highlighted"
                assert reply.event_id not in hl, \
                    f"the bot's echo of @room highlighted: {reply.raw}"
            finally:
                await bram.close()
    run(body())
