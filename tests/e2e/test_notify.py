"""Who the bot's messages notify, as the homeserver decides it (issue 13,
item 1): Synapse's own notification list (GET /notifications) after the
default push rules ran. A reminder and an assignment are m.text and
highlight exactly the person they name; an ordinary reply is m.notice,
which .m.rule.suppress_notices keeps out of everybody's list.
"""

import asyncio
import secrets

from client import Member
from helpers import run, world
from test_reminders import wait_fired, wait_invite
from servers import pushes_on_mentions


def highlighted(actions):
    return any(isinstance(a, dict) and a.get("set_tweak") == "highlight"
               and a.get("value", True) for a in actions)


def mention_pinged(homeserver, n):
    """n (a notification, or None) is how a mention must arrive: a
    highlight where the homeserver judges m.mentions (servers.py:
    pushes_on_mentions); elsewhere (Dendrite 0.13.8, spec v1.2) being in
    the person's list is what the server can do. The bot's own m.mentions
    are checked on every server by the tests themselves."""
    return bool(n) and (highlighted(n["actions"])
                        or not pushes_on_mentions(homeserver))


async def notified(member, event_id, timeout=10):
    """The notification of event_id in member's list, or None (after
    waiting up to timeout for the homeserver to list it)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        for n in await member.notifications():
            if (n.get("event") or {}).get("event_id") == event_id:
                return n
        if loop.time() >= end:
            return None
        await asyncio.sleep(0.5)


def test_reminders_and_assignments_notify_the_person(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            chair_id, chair_pw = users.new("chair")
            chair = await Member(homeserver.url, chair_id, chair_pw).start()
            try:
                await w.anna.invite(room, chair_id)
                await chair.join(room)
                await w.ask("noord", f"!rol {chair_id} voorzitter")
                # An ordinary reply: m.notice, in nobody's list.
                eid, got = await w.ask("noord", "!herinneringen")
                plain = got[0]
                assert plain.msgtype == "m.notice", plain.raw
                assert plain.raw["content"]["m.mentions"] == {}, plain.raw
                # An action for the chair: the reply pings the chair only.
                eid, got = await w.ask(
                    "noord", f"!actie {chair_id} stukken rondsturen")
                act = [r for r in got if chair_id in r.mentions]
                assert act, [r.raw for r in got]
                assert act[0].msgtype == "m.text", act[0].raw
                assert act[0].mentions == [chair_id], act[0].raw
                n = await notified(chair, act[0].event_id)
                assert mention_pinged(homeserver, n), n
                n = await notified(w.anna, act[0].event_id, timeout=2)
                assert not n or not highlighted(n["actions"]), n
                assert await notified(chair, plain.event_id, timeout=1) is None
                # A reminder by direct message: in the chair's list, as a
                # mention. The first opens the chat; the second one is
                # sent while the chair is in it.
                tag = secrets.token_hex(4)
                await w.ask("noord",
                            f"!herinner {chair_id} over 2 seconden eerste-{tag}")
                dm = await wait_invite(chair, set(), abort=w.bot.died)
                await chair.join(dm)
                await wait_fired(chair, dm, w.bot_id, tag, abort=w.bot.died)
                tag2 = secrets.token_hex(4)
                await w.ask("noord",
                            f"!herinner {chair_id} over 2 seconden stukken-{tag2}")
                got = await wait_fired(chair, dm, w.bot_id, tag2,
                                       abort=w.bot.died)
                assert got[0].msgtype == "m.text", got[0].raw
                assert got[0].mentions == [chair_id], got[0].raw
                n = await notified(chair, got[0].event_id)
                assert n, "the reminder is not in the chair's notifications"
                assert mention_pinged(homeserver, n), n
            finally:
                await chair.close()
    run(body())
