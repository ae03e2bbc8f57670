"""Who is notified, as people meet the bot in Element (issue 13, item 9):
commands sent through matrix-js-sdk exactly as Element sends them (pills,
m.mentions), and for each person in the room the homeserver's own verdict
after the default push rules (GET /_matrix/client/v3/notifications, per
user; the helpers are test_notify.py's).

- a personal reminder firing: its owner is pinged, nobody else;
- the chair's meeting reminder: the chair is pinged, nobody else;
- an action assigned with a pill: its owner is pinged; the others see an
  ordinary message (listed, no highlight), as any member's message;
- an ordinary command reply and an unknown-command suggestion: m.notice,
  in nobody's list; with [bot] replies = text the members see it as an
  ordinary message, still pinging nobody;
- "@room" in a person's text, echoed in a reminder the bot sends to the
  room with the power to notify it: pings nobody (test_room_mention.py
  shows the rule is live on this Synapse for a message without
  m.mentions).
"""

import asyncio
import datetime
import secrets
import urllib.parse
import zoneinfo

from helpers import joined_member, run, world
import jsclient
from jsclient import pill
from synapse import http_json
from test_notify import highlighted, notified
from test_reminders import daytime_zone, wait_fired, wait_invite
from servers import NO_MENTIONS, server_only


async def pinged(member, event_id, timeout=10):
    """Whether event_id is a highlight in member's notifications."""
    n = await notified(member, event_id, timeout)
    return bool(n and highlighted(n["actions"]))


async def check_who(event_id, yes=(), listed=(), no=()):
    """yes: pinged; listed: in their list, no highlight (an ordinary
    message); no: not in their list at all. The positive checks run
    first: once the homeserver lists the event for one person it has
    decided for every member (push actions are computed as it is
    stored)."""
    for m in yes:
        assert await pinged(m, event_id), f"{m.user_id} was not pinged"
    for m in listed:
        n = await notified(m, event_id)
        assert n, f"{event_id} is not in the list of {m.user_id}"
        assert not highlighted(n["actions"]), (m.user_id, n)
    wait = 0.5 if (yes or listed) else 3
    for m in no:
        n = await notified(m, event_id, timeout=wait)
        assert n is None, (m.user_id, n)
        wait = 0.5


def daytime(w):
    """The bot's network in a zone where it is daytime now: a reminder to
    a person is never moved out of the quiet hours during the test."""
    tz = daytime_zone()
    base = w.bot.config_text
    w.bot.config_text = lambda: base().replace(
        "timezone = Europe/Amsterdam", f"timezone = {tz}") + \
        "remind_agenda_call = 1m\nremind_agenda_final = off\n" \
        "remind_invitation = off\nremind_meeting_tomorrow = off\n" \
        "remind_room_day_before = off\nremind_room_hour_before = off\n"
    return tz


async def open_direct_chat(w, member):
    """A personal reminder for member opens the bot's direct chat with
    them; they join it. (The first message comes while they are only
    invited, so it notifies nobody; later ones do.) Returns the room."""
    room = w.rooms["noord"]
    tag = secrets.token_hex(3)
    await jsclient.send(member, room, f"!herinner mij over 2 seconden open-{tag}")
    dm = await wait_invite(member, set(), abort=w.bot.died)
    await member.join(dm)
    await wait_fired(member, dm, w.bot_id, tag, abort=w.bot.died)
    return dm


def give_bot_power(homeserver, w):
    """The bot may notify the room (@room) under the power levels."""
    q = urllib.parse.quote(w.rooms["noord"], safe="")
    url = homeserver.url + f"/_matrix/client/v3/rooms/{q}/state/m.room.power_levels"
    token = w.anna.client.access_token
    pl = http_json("GET", url, token=token)
    pl.setdefault("users", {})[w.bot_id] = 100
    http_json("PUT", url, pl, token=token)


@server_only("synapse", NO_MENTIONS)
def test_who_is_notified(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots, start=False) as w:
            tz = daytime(w)
            w.bot.start()
            room = w.rooms["noord"]
            await w.anna.invite(room, w.bot_id)
            await w.wait_joined(room)
            give_bot_power(homeserver, w)
            chair_id, chair = await joined_member(homeserver, users, w, "chair")
            bram_id, bram = await joined_member(homeserver, users, w, "bram")
            try:
                await w.ask("noord", f"!rol {chair_id} voorzitter")
                dms = await asyncio.gather(open_direct_chat(w, chair),
                                           open_direct_chat(w, bram))
                chair_dm, bram_dm = dms
                everyone = (w.anna, chair, bram)

                # An ordinary reply and an unknown-command suggestion.
                cid, _ = await jsclient.send(w.anna, room, "!hulp")
                got = await w.anna.wait_replies(room, w.bot_id, [cid], 20,
                                                abort=w.bot.died)
                assert got[cid][0].msgtype == "m.notice", got[cid][0].raw
                await check_who(got[cid][0].event_id, no=everyone)
                cid, _ = await jsclient.send(bram, room, "!hlp")
                got = await bram.wait_replies(room, w.bot_id, [cid], 20,
                                              abort=w.bot.died)
                assert "Onbekend commando" in got[cid][0].body, got[cid][0].body
                await check_who(got[cid][0].event_id, no=everyone)

                # An action assigned with a pill picked from the list.
                cid, sent = await jsclient.send(
                    w.anna, room, ["!actie ", pill(bram_id, "Bram"),
                                   " stukken rondsturen"])
                assert sent["m.mentions"] == {"user_ids": [bram_id]}, sent
                got = await w.anna.wait_replies(room, w.bot_id, [cid], 20,
                                                abort=w.bot.died)
                act = [r for r in got[cid] if r.mentions == [bram_id]]
                assert len(act) == 1 and act[0].msgtype == "m.text", \
                    [r.raw for r in got[cid]]
                await check_who(act[0].event_id, yes=[bram],
                                listed=[w.anna, chair])

                # A personal reminder firing: only its owner.
                tag = secrets.token_hex(3)
                await jsclient.send(bram, room,
                                    f"!herinner mij over 2 seconden bellen-{tag}")
                fired = await wait_fired(bram, bram_dm, w.bot_id, tag,
                                         abort=w.bot.died)
                await check_who(fired[0].event_id, yes=[bram],
                                no=[w.anna, chair])

                # "@room" typed by a person, echoed in a room reminder.
                tag = secrets.token_hex(3)
                await jsclient.send(w.anna, room, "!herinner kamer over 2 "
                                    f"seconden Let op @room: stukken-{tag}")
                fired = await wait_fired(w.anna, room, w.bot_id, tag,
                                         abort=w.bot.died)
                assert fired[0].raw["content"]["m.mentions"] == {}, fired[0].raw
                for m in (chair, bram):
                    assert not await pinged(m, fired[0].event_id, timeout=3), \
                        f"@room in a reminder pinged {m.user_id}"

                # The chair's meeting reminder (the agenda call, one
                # minute before a meeting set one or two minutes ahead).
                zone = zoneinfo.ZoneInfo(tz)
                now = datetime.datetime.now(zone)
                at = now.replace(second=0, microsecond=0) + datetime.timedelta(
                    minutes=2 if now.second < 40 else 3)
                title = f"Overleg-{secrets.token_hex(3)}"
                await w.ask("noord", "!vergadering plan "
                            + at.strftime("%d-%m-%Y %H:%M") + f" titel {title}")
                fired = await wait_fired(chair, chair_dm, w.bot_id, title,
                                         timeout=200, abort=w.bot.died)
                await check_who(fired[0].event_id, yes=[chair],
                                no=[w.anna, bram])
            finally:
                await chair.close()
                await bram.close()
    run(body(), timeout=400)


def test_replies_as_text_notify_nobody_by_name(homeserver, users, bots):
    """With [bot] replies = text an ordinary reply is an ordinary message:
    listed for the members, pinging nobody."""
    async def body():
        async with world(homeserver, users, bots, replies="text") as w:
            room = w.rooms["noord"]
            bram_id, bram = await joined_member(homeserver, users, w, "bram")
            try:
                cid, _ = await jsclient.send(bram, room, "!hulp")
                got = await bram.wait_replies(room, w.bot_id, [cid], 20,
                                              abort=w.bot.died)
                r = got[cid][0]
                assert r.msgtype == "m.text", r.raw
                assert r.raw["content"]["m.mentions"] == {}, r.raw
                await check_who(r.event_id, listed=[w.anna, bram])
            finally:
                await bram.close()
    run(body())
