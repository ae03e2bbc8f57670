"""Reminders end to end against Synapse (issue 5, point 8): a reminder for
the chair arrives by direct message (in a room the bot opens, reuses, and
opens again when the chair left it); a reminder that fell due while the bot
was killed arrives once, marked late, after the restart; snooze and cancel
work. Real short delays (a few seconds), no faked time.
"""

import asyncio
import datetime
import json
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
import zoneinfo

from client import Member
from helpers import run, world

FIRE_TIMEOUT = 30


def fired(member, room_id, sender, tag):
    """The reminders (not command replies) from sender in room_id whose
    text holds tag."""
    return [r for r in member.replies(room_id, sender)
            if r.in_reply_to is None and tag in (r.body or "")]


async def wait_fired(member, room_id, sender, tag, count=1,
                     timeout=FIRE_TIMEOUT, abort=None):
    await member.wait_for(
        lambda: len(fired(member, room_id, sender, tag)) >= count, timeout,
        f"{count} reminder(s) with {tag!r} in {room_id}", abort)
    return fired(member, room_id, sender, tag)


def short_id(body):
    m = re.search(r"#(\d+)", body)
    assert m, f"no reminder number in {body!r}"
    return m.group(1)


async def wait_invite(member, known, timeout=FIRE_TIMEOUT, abort=None):
    """A room member is newly invited to (not in known)."""
    await member.wait_for(lambda: member.invites - known, timeout,
                          "an invite to a direct chat", abort)
    return sorted(member.invites - known)[0]


def bot_direct_rooms(homeserver, bot, user_id):
    """The rooms the bot's m.direct account data lists for user_id (read
    with a fresh login of the bot's account)."""
    def call(method, path, body=None, token=None):
        req = urllib.request.Request(
            homeserver + path, method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json",
                     **({"Authorization": f"Bearer {token}"} if token else {})})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read() or b"{}")
    login = call("POST", "/_matrix/client/v3/login",
                 {"type": "m.login.password",
                  "identifier": {"type": "m.id.user", "user": bot.user_id},
                  "password": bot.password})
    uid = urllib.parse.quote(bot.user_id, safe="")
    try:
        direct = call("GET", f"/_matrix/client/v3/user/{uid}/account_data/m.direct",
                      token=login["access_token"])
    except urllib.error.HTTPError:
        direct = {}
    call("POST", "/_matrix/client/v3/logout", {}, token=login["access_token"])
    return direct.get(user_id, [])


def test_chair_reminder_by_direct_message(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            chair_id, chair_pw = users.new("chair")
            chair = await Member(homeserver.url, chair_id, chair_pw).start()
            try:
                _, got = await w.ask("noord", f"!rol {chair_id} voorzitter")
                tag = secrets.token_hex(4)
                _, got = await w.ask(
                    "noord", f"!herinner {chair_id} over 3 seconden stukken-{tag}")
                assert "#" in got[0].body, got[0].body
                dm = await wait_invite(chair, set(), abort=w.bot.died)
                await chair.join(dm)
                got = await wait_fired(chair, dm, w.bot_id, tag,
                                       abort=w.bot.died)
                assert "Herinnering" in got[0].body, got[0].body
                await asyncio.sleep(1)
                assert dm in bot_direct_rooms(homeserver.url, w.bot, chair_id)
                # The next one reuses the room.
                tag2 = secrets.token_hex(4)
                await w.ask("noord",
                            f"!herinner {chair_id} over 2 seconden tweede-{tag2}")
                await wait_fired(chair, dm, w.bot_id, tag2, abort=w.bot.died)
                assert chair.invites == set()
                # The chair left: a new direct chat is opened.
                await chair.client.room_leave(dm)
                await chair.wait_membership(dm, chair_id, "leave", 10)
                tag3 = secrets.token_hex(4)
                await w.ask("noord",
                            f"!herinner {chair_id} over 2 seconden derde-{tag3}")
                dm2 = await wait_invite(chair, set(), abort=w.bot.died)
                assert dm2 != dm
                await chair.join(dm2)
                await wait_fired(chair, dm2, w.bot_id, tag3, abort=w.bot.died)
                await asyncio.sleep(1)
                assert dm2 in bot_direct_rooms(homeserver.url, w.bot, chair_id)
            finally:
                await chair.close()
    run(body())


def test_reminder_due_while_killed_arrives_once(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            tag = secrets.token_hex(4)
            _, got = await w.ask("noord",
                                 f"!herinner kamer over 6 seconden koffie-{tag}")
            assert "#" in got[0].body, got[0].body
            w.bot.kill()
            await asyncio.sleep(9)
            assert fired(w.anna, room, w.bot_id, tag) == []
            w.bot.start()
            got = await wait_fired(w.anna, room, w.bot_id, tag, timeout=40,
                                   abort=w.bot.died)
            assert "Te laat verstuurd" in got[0].body, got[0].body
            # Once: not again after a while, nor after another restart.
            w.bot.stop()
            w.bot.start()
            await asyncio.sleep(6)
            assert len(fired(w.anna, room, w.bot_id, tag)) == 1
    run(body())


def test_snooze_and_cancel(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            a, b = secrets.token_hex(4), secrets.token_hex(4)
            _, got = await w.ask("noord", f"!herinner kamer over 4 seconden A-{a}")
            ida = short_id(got[0].body)
            _, got = await w.ask("noord", f"!herinner kamer over 5 seconden B-{b}")
            idb = short_id(got[0].body)
            _, got = await w.ask("noord", f"!herinner annuleer {idb}")
            assert "geannuleerd" in got[0].body, got[0].body
            await wait_fired(w.anna, room, w.bot_id, a, abort=w.bot.died)
            _, got = await w.ask("noord", f"!herinner uitstellen {ida} 3s")
            assert "uitgesteld" in got[0].body, got[0].body
            await wait_fired(w.anna, room, w.bot_id, a, count=2,
                             abort=w.bot.died)
            # A reply to the reminder's message snoozes it too.
            got = fired(w.anna, room, w.bot_id, a)
            await w.anna.send_raw(room, "m.room.message", {
                "msgtype": "m.text", "body": "later 3s",
                "m.relates_to": {"m.in_reply_to": {"event_id": got[-1].event_id}}})
            await wait_fired(w.anna, room, w.bot_id, a, count=3,
                             abort=w.bot.died)
            await asyncio.sleep(4)
            assert len(fired(w.anna, room, w.bot_id, a)) == 3
            assert fired(w.anna, room, w.bot_id, b) == []
            _, got = await w.ask("noord", "!herinneringen")
            assert b not in got[0].body
    run(body())


def daytime_zone():
    """A time zone where it is between 09:00 and 20:00 now (the tests'
    reminders to persons must not fall in the quiet hours)."""
    for name in ("Europe/Amsterdam", "America/New_York", "America/Los_Angeles",
                 "Pacific/Auckland", "Asia/Tokyo", "Asia/Kolkata"):
        hour = datetime.datetime.now(zoneinfo.ZoneInfo(name)).hour
        if 9 <= hour < 20:
            return name
    raise AssertionError("no daytime zone found")


def test_meeting_reminder_to_chair(homeserver, users, bots):
    """The chair's agenda call for a meeting comes by direct message at its
    configured offset (2 minutes here, the other reminders off)."""
    async def body():
        async with world(homeserver, users, bots, start=False) as w:
            base = w.bot.config_text
            offsets = ("remind_agenda_call = 2m\nremind_agenda_final = off\n"
                       "remind_invitation = off\nremind_meeting_tomorrow = off\n"
                       "remind_room_day_before = off\nremind_room_hour_before = off\n")
            # A reminder to a person never falls in their quiet hours
            # (22:00-07:00, moved to 08:00): the network's zone is one
            # where it is daytime now, whatever the hour of the run.
            tz = daytime_zone()
            w.bot.config_text = lambda: base().replace(
                "timezone = Europe/Amsterdam", f"timezone = {tz}") + offsets
            w.bot.start()
            await w.anna.invite(w.rooms["noord"], w.bot_id)
            await w.wait_joined(w.rooms["noord"])
            chair_id, chair_pw = users.new("chair")
            chair = await Member(homeserver.url, chair_id, chair_pw).start()
            try:
                await w.ask("noord", f"!rol {chair_id} voorzitter")
                # The meeting 3 to 4 minutes from now, on a whole minute.
                zone = zoneinfo.ZoneInfo(tz)
                at = datetime.datetime.now(zone).replace(second=0, microsecond=0) \
                    + datetime.timedelta(minutes=4)
                title = f"Overleg-{secrets.token_hex(3)}"
                _, got = await w.ask("noord", "!vergadering plan "
                                     + at.strftime("%d-%m-%Y %H:%M") + f" titel {title}")
                assert title in got[0].body, got[0].body
                dm = await wait_invite(chair, set(), timeout=200, abort=w.bot.died)
                await chair.join(dm)
                got = await wait_fired(chair, dm, w.bot_id, title, timeout=30,
                                       abort=w.bot.died)
                assert "agendapunten" in got[0].body, got[0].body
            finally:
                await chair.close()
    run(body(), timeout=300)


def test_thumbs_up_subscribes_to_room_reminder(homeserver, users, bots):
    """A 👍 on a recurring room reminder's message gives the reactor a
    personal copy, confirmed by direct message."""
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            zone = zoneinfo.ZoneInfo("Europe/Amsterdam")
            now = datetime.datetime.now(zone)
            at = now.replace(second=0, microsecond=0) + datetime.timedelta(
                minutes=1 if now.second < 45 else 2)
            tag = secrets.token_hex(4)
            _, got = await w.ask("noord", "!herinner kamer elke dag "
                                 + at.strftime("%H:%M") + f" koffie-{tag}")
            assert "elke dag" in got[0].body, got[0].body
            got = await wait_fired(w.anna, room, w.bot_id, tag, timeout=150,
                                   abort=w.bot.died)
            await w.anna.send_raw(room, "m.reaction", {"m.relates_to": {
                "rel_type": "m.annotation", "event_id": got[0].event_id,
                "key": "\N{THUMBS UP SIGN}"}})
            dm = await wait_invite(w.anna, set(), abort=w.bot.died)
            await w.anna.join(dm)
            got = await wait_fired(w.anna, dm, w.bot_id, tag, abort=w.bot.died)
            assert "voortaan ook zelf" in got[0].body, got[0].body
            _, got = await w.ask("noord", "!herinneringen")
            assert got[0].body.count(f"koffie-{tag}") == 2, got[0].body
    run(body(), timeout=300)


def test_too_old_missed_reminder_is_summarised(homeserver, users, bots):
    """With late_limit_hours = 0 a reminder missed while the bot was down is
    not sent to its room but listed in one summary to whoever set it."""
    async def body():
        async with world(homeserver, users, bots, start=False) as w:
            base = w.bot.config_text
            w.bot.config_text = lambda: base().replace(
                "[bot]\n", "[bot]\nlate_limit_hours = 0\n", 1)
            w.bot.start()
            room = w.rooms["noord"]
            await w.anna.invite(room, w.bot_id)
            await w.wait_joined(room)
            tag = secrets.token_hex(4)
            await w.ask("noord", f"!herinner kamer over 3 seconden thee-{tag}")
            w.bot.kill()
            await asyncio.sleep(5)
            w.bot.start()
            dm = await wait_invite(w.anna, set(), abort=w.bot.died)
            await w.anna.join(dm)
            got = await wait_fired(w.anna, dm, w.bot_id, tag, abort=w.bot.died)
            assert "Gemiste herinnering (1): deze had ik moeten sturen" in got[0].body, got[0].body
            await asyncio.sleep(3)
            assert fired(w.anna, room, w.bot_id, tag) == []
            assert len(fired(w.anna, dm, w.bot_id, tag)) == 1
    run(body())
