"""Rooms are the network's only when verified, and the network's data needs
current membership (issue 12: "anyone can become chair", "a removed member
keeps access through the DM"), against a real Synapse with matrix-nio
clients.

- A forged federation claim: an invite put into the bot's /sync (through the
  fault proxy) that claims the configured alias in its invite_state and
  unsigned data does not make the attacker's room a network room, and its
  creator gets no role.
- A configured alias nobody has created yet: an attacker creates a room
  with it, invites the bot and gives the alias up again; the bot does not
  take that room. The real room, created with the alias afterwards, works.
  Moved to another room later, the alias is not followed: the first room
  stays the network's, with a warning in the log.
- A member kicked from the network's room is refused in their direct chat
  with the bot, with the reason; readmitted, they are served again.
"""

import asyncio
import secrets
import time

from nio import RoomPreset, RoomVisibility

from bot import Network
from client import Member
from faultproxy import FaultProxy
from helpers import (REPLY_TIMEOUT, ask_as, check_reply, joined_member, run,
                     shows, text_of, world)


def _log(bot):
    with open(bot.logpath, encoding="utf-8", errors="replace") as f:
        return f.read()


async def _wait_log(bot, needle, timeout=REPLY_TIMEOUT, since=0):
    """Wait until the bot's log (after offset since) contains needle."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if needle in _log(bot)[since:]:
            return
        if bot.died():
            raise AssertionError(bot.died())
        await asyncio.sleep(0.2)
    raise TimeoutError(f"the bot's log never said {needle!r}")


async def _room_with_alias(member, localpart, name, public=False):
    """A room created by member with #localpart:server as its alias (in the
    directory and as its m.room.canonical_alias)."""
    resp = await member.client.room_create(
        alias=localpart, name=name, visibility=RoomVisibility.private,
        preset=RoomPreset.public_chat if public else RoomPreset.private_chat)
    if not getattr(resp, "room_id", None):
        raise RuntimeError(f"room_create failed: {resp}")
    await member.wait_membership(resp.room_id, member.user_id, "join", 10)
    return resp.room_id


async def _member(homeserver, users, prefix):
    uid, pw = users.new(prefix)
    return await Member(homeserver.url, uid, pw).start()


async def _quiet(member, room, bot_id, eid, seconds=3):
    """No reply from the bot to eid within seconds."""
    await asyncio.sleep(seconds)
    return member.replies_to(room, bot_id, [eid])[eid] == []


def test_forged_alias_claim_makes_no_network_room(homeserver, users, bots):
    proxy = FaultProxy(homeserver.url).start()

    async def body():
        anna = await _member(homeserver, users, "anna")
        mallory = await _member(homeserver, users, "mallory")
        try:
            local = f"noord-{secrets.token_hex(4)}"
            alias = f"#{local}:{homeserver.server_name}"
            real = await _room_with_alias(anna, local, "Werktafel noord")
            # No admins: roles follow the rooms' power levels only.
            bot = bots.new([Network("noord", [alias])], admins=[],
                           homeserver=proxy.url)
            bot.start()
            await anna.invite(real, bot.user_id)
            await anna.wait_membership(real, bot.user_id, "join", 30,
                                       abort=bot.died)
            eid = await anna.send_text(real, "!rol")
            got = await anna.wait_replies(real, bot.user_id, [eid],
                                          REPLY_TIMEOUT, abort=bot.died)
            assert "voorzitter" in got[eid][0].body, text_of(got[eid])

            # Mallory's own public room (the bot could join it), and an
            # invite to it that only the bot's /sync sees: its stripped
            # state and unsigned data claim the network's alias.
            evil = await mallory.create_room("Werktafel noord", public=True)
            ts = int(time.time() * 1000)
            claim = {"type": "m.room.canonical_alias", "state_key": "",
                     "sender": mallory.user_id,
                     "content": {"alias": alias, "alt_aliases": [alias]}}
            invite = {"type": "m.room.member", "state_key": bot.user_id,
                      "sender": mallory.user_id, "origin_server_ts": ts,
                      "event_id": "$forged-invite",
                      "content": {"membership": "invite"},
                      "unsigned": {"invite_room_state": [claim]}}

            def forge(data):
                inv = data.setdefault("rooms", {}).setdefault("invite", {})
                inv[evil] = {"invite_state": {"events": [claim, invite]}}
            offset = len(_log(bot))
            proxy.inject_sync(forge)
            await anna.send_text(real, "hallo")   # wakes the bot's sync
            # The bot either joins her room (what it did before) or says
            # it refuses the invite.
            await mallory.wait_for(
                lambda: mallory.member_state(evil, bot.user_id) == "join"
                or f"refusing invite to {evil}" in _log(bot)[offset:],
                30, "the bot's decision on the forged invite", abort=bot.died)
            await asyncio.sleep(2)
            assert mallory.member_state(evil, bot.user_id) != "join", \
                "the bot joined the room that claimed the alias"
            # Its creator is no chair of the network, and her room gets
            # no answers.
            eid = await anna.send_text(real, "!rol")
            got = await anna.wait_replies(real, bot.user_id, [eid],
                                          REPLY_TIMEOUT, abort=bot.died)
            assert mallory.user_id not in (got[eid][0].formatted_body or ""), \
                got[eid][0].raw
            assert shows(got[eid][0], anna.user_id), got[eid][0].raw
            eid = await mallory.send_text(evil, "!rol")
            assert await _quiet(mallory, evil, bot.user_id, eid)
            assert bot.died() is None
        finally:
            await anna.close()
            await mallory.close()
    try:
        run(body())
    finally:
        proxy.stop()


def test_alias_squatted_before_it_exists(homeserver, users, bots):
    async def body():
        anna = await _member(homeserver, users, "anna")
        mallory = await _member(homeserver, users, "mallory")
        try:
            local = f"zuid-{secrets.token_hex(4)}"
            alias = f"#{local}:{homeserver.server_name}"
            bot = bots.new([Network("zuid", [alias])], admins=[])
            # Before the bot starts, Mallory creates a room with the alias
            # nobody has created yet, invites the bot, and lets the alias
            # go again: her invite still shows it as the room's alias.
            evil = await _room_with_alias(mallory, local, "Werktafel zuid")
            await mallory.invite(evil, bot.user_id)
            resp = await mallory.client.room_delete_alias(alias)
            assert not type(resp).__name__.endswith("Error"), resp
            bot.start()
            await _wait_log(bot, f"room alias {alias}: not found")
            await mallory.wait_membership(evil, bot.user_id, "leave", 30,
                                          abort=bot.died)
            assert not [e for e in mallory.events(evil)
                        if e.get("type") == "m.room.member"
                        and e.get("state_key") == bot.user_id
                        and (e.get("content") or {}).get("membership") == "join"], \
                "the bot joined the squatter's room"

            # The real room, created with the alias by the right people.
            real = await _room_with_alias(anna, local, "Werktafel zuid")
            await anna.invite(real, bot.user_id)
            await anna.wait_membership(real, bot.user_id, "join", 30,
                                       abort=bot.died)
            eid = await anna.send_text(real, "!rol")
            got = await anna.wait_replies(real, bot.user_id, [eid],
                                          REPLY_TIMEOUT, abort=bot.died)
            check_reply(got[eid][0], eid)
            text = got[eid][0].body
            assert shows(got[eid][0], anna.user_id) and "voorzitter" in text, text
            assert mallory.user_id not in (got[eid][0].formatted_body or ""), text

            # The alias moves to another room: not followed. After a
            # restart the bot warns, keeps the first room, and refuses an
            # invite to the new one.
            other = await anna.create_room("Werktafel zuid, nieuw")
            resp = await anna.client.room_delete_alias(alias)
            assert not type(resp).__name__.endswith("Error"), resp
            resp = await anna.client.room_put_alias(alias, other)
            assert not type(resp).__name__.endswith("Error"), resp
            assert bot.stop() is not None
            offset = len(_log(bot))
            bot.start()
            await _wait_log(bot, f"room alias {alias} now points to {other}",
                            since=offset)
            await anna.invite(other, bot.user_id)
            await anna.wait_membership(other, bot.user_id, "leave", 30,
                                       abort=bot.died)
            eid = await anna.send_text(real, "!hulp")
            got = await anna.wait_replies(real, bot.user_id, [eid],
                                          REPLY_TIMEOUT, abort=bot.died)
            check_reply(got[eid][0], eid)
        finally:
            await anna.close()
            await mallory.close()
    run(body())


async def _direct_chat(member, bot_id):
    """A direct chat member opens with the bot; waits until it joined."""
    resp = await member.client.room_create(
        is_direct=True, invite=[bot_id], preset=RoomPreset.trusted_private_chat,
        visibility=RoomVisibility.private)
    if not getattr(resp, "room_id", None):
        raise RuntimeError(f"room_create failed: {resp}")
    await member.wait_membership(resp.room_id, bot_id, "join", 30)
    return resp.room_id


async def _ask_in(member, room, bot, body):
    eid = await member.send_text(room, body)
    got = await member.wait_replies(room, bot.user_id, [eid], REPLY_TIMEOUT,
                                    abort=bot.died)
    return got[eid][0]


def test_kicked_member_is_refused_in_direct_chat(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            daan_id, daan = await joined_member(homeserver, users, w, "daan")
            try:
                # A board member (a stored role) with a direct chat.
                _, rs = await w.ask("noord", f"!rol {daan_id} bestuurder")
                assert "bestuurder" in rs[0].body, text_of(rs)
                dm = await _direct_chat(daan, w.bot_id)
                r = await _ask_in(daan, dm, w.bot, "!advies")
                assert "Open adviesaanvragen" in r.body or "adviesaanvragen" in r.body, r.body
                r = await _ask_in(daan, dm, w.bot, "!expertise wondzorg")
                assert "geen lid" not in r.body, r.body

                # Kicked: once the bot has seen it (a command in the room
                # after the kick is answered), the chat refuses him.
                resp = await w.anna.client.room_kick(room, daan_id, "verhuisd")
                assert not type(resp).__name__.endswith("Error"), resp
                await w.anna.wait_membership(room, daan_id, "leave", 10)
                await w.ask("noord", "!hulp")
                for cmd in ("!advies", "!expertise dementie",
                            "!herinner mij morgen 9:00 verslag lezen"):
                    r = await _ask_in(daan, dm, w.bot, cmd)
                    assert "geen lid (meer)" in r.body, f"{cmd}: {r.body}"
                # Nothing was added meanwhile.
                _, rs = await w.ask("noord", f"!expertise {daan_id}")
                assert "dementie" not in rs[0].body, text_of(rs)

                # Readmitted: served again.
                await w.anna.invite(room, daan_id)
                await daan.wait_for(lambda: room in daan.invites, 10, "the invite")
                await daan.join(room)
                await w.anna.wait_membership(room, daan_id, "join", 10)
                await w.ask("noord", "!hulp")
                r = await _ask_in(daan, dm, w.bot, "!expertise dementie")
                assert "geen lid" not in r.body, r.body
                _, rs = await w.ask("noord", f"!expertise {daan_id}")
                assert "dementie" in rs[0].body, text_of(rs)
                # And in the network's room itself, as before.
                _, rs = await ask_as(daan, w, "!advies")
                assert "geen lid" not in rs[0].body, text_of(rs)
            finally:
                await daan.close()
    run(body())


def test_alias_of_a_room_the_bot_is_in_is_checked_at_start(homeserver, users, bots):
    """The config names a room by id, then by its alias: at the next start
    the bot reads the room's canonical alias (the directory gives the room,
    the bot is in it) and keeps it as the network's room; a config alias
    whose room does not name it is not taken."""
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            local = f"noord-{secrets.token_hex(4)}"
            alias = f"#{local}:{homeserver.server_name}"
            resp = await w.anna.client.room_put_alias(alias, room)
            assert not type(resp).__name__.endswith("Error"), resp
            await w.anna.send_state(room, "m.room.canonical_alias",
                                    {"alias": alias})
            # A second alias of the same room that its canonical alias
            # does not name, for another network.
            other = f"#west-{secrets.token_hex(4)}:{homeserver.server_name}"
            resp = await w.anna.client.room_put_alias(other, room)
            assert not type(resp).__name__.endswith("Error"), resp
            assert w.bot.stop() is not None
            w.bot.networks = [Network("noord", [alias]),
                              Network("west", [other], language="en")]
            offset = len(_log(w.bot))
            w.bot.start()
            await _wait_log(w.bot, f"{room} is room {alias} of network noord",
                            since=offset)
            await _wait_log(w.bot, f"{room} is not taken as room {other}",
                            since=offset)
            eid, rs = await w.ask("noord", "!hulp")
            check_reply(rs[0], eid)
            assert "!agenda" in rs[0].body and "!vergadering" in rs[0].body, rs[0].body
    run(body())
