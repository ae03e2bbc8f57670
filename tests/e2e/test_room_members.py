"""Room members end to end against Synapse (issue 8, "a user not in the
room"): once the bot has read the room's member list, an action for a
registered user who is not in the room is refused with a clear reply and
nothing logged; after that user was invited and joined, the same kind of
action is logged (✅ reaction)."""

import asyncio

from client import Member
from helpers import REPLY_TIMEOUT, check_reply, run, text_of, world

ACK = "\u2705"


def reactions(member, room, bot_id, event_id):
    """The annotation keys the bot put on event_id."""
    keys = []
    for ev in member.events(room):
        if ev.get("type") != "m.reaction" or ev.get("sender") != bot_id:
            continue
        rel = (ev.get("content") or {}).get("m.relates_to") or {}
        if rel.get("rel_type") == "m.annotation" and rel.get("event_id") == event_id:
            keys.append(rel.get("key"))
    return keys


async def wait_member_list(bot, room, timeout=REPLY_TIMEOUT):
    """Wait until the bot's log says it stored the member list of room."""
    needle = f"{room}: "
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        with open(bot.logpath, encoding="utf-8", errors="replace") as f:
            if any(needle in line and line.rstrip().endswith(" members")
                   for line in f):
                return
        if bot.died():
            raise AssertionError(bot.died())
        await asyncio.sleep(0.2)
    raise TimeoutError(f"the bot did not read the members of {room}")


def test_action_owner_must_be_in_room(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            await wait_member_list(w.bot, room)
            # A registered user who is not in the room.
            eva_id, _ = users.new("eva")
            eid, rs = await w.ask("noord", f"!actie {eva_id} zaal boeken")
            check_reply(rs[0], eid)
            assert "niet in deze kamer" in rs[0].body, text_of(rs)
            assert eva_id in rs[0].body and "/invite" in rs[0].body, text_of(rs)
            assert reactions(w.anna, room, w.bot_id, eid) == []

            # Daan is invited and joins: his action is logged.
            daan_id, daan_pw = users.new("daan")
            daan = await Member(homeserver.url, daan_id, daan_pw).start()
            try:
                await w.anna.invite(room, daan_id)
                await daan.wait_for(lambda: room in daan.invites, 10, "daan's invite")
                await daan.join(room)
                await w.anna.wait_membership(room, daan_id, "join", 10)
                logged = await w.anna.send_text(
                    room, f"!actie {daan_id} programma opstellen")
                await w.anna.wait_for(
                    lambda: ACK in reactions(w.anna, room, w.bot_id, logged),
                    REPLY_TIMEOUT, "the bot's reaction", abort=w.bot.died)

                eid, rs = await w.ask("noord", "!acties")
                assert "programma opstellen" in rs[0].body, text_of(rs)
                assert "zaal boeken" not in rs[0].body, text_of(rs)
            finally:
                await daan.close()
    run(body())
