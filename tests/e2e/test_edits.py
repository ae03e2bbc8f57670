"""Editing a mistyped command (issue 13, item 6), with edits sent through
matrix-js-sdk exactly as Element's edit composer sends them (" * " body,
m.new_content, m.relates_to m.replace): the corrected command of a
refused one runs once and the bot edits its refusal into the answer; a
correction refused again edits the refusal again; an edit of a command
that was carried out gets one note and nothing after it; an edit sent
while the bot was down is handled once, across a restart and a kill."""

import asyncio

from helpers import joined_member, run, world
import jsclient
from jsclient import pill

HELP = "Commando's die jij kunt gebruiken"
SETTLE = 3


def bot_events(member, room, bot_id):
    return [e for e in member.events(room) if e.get("sender") == bot_id
            and e.get("type") == "m.room.message"]


def edits_of(member, room, bot_id, event_id):
    """The bot's edits (m.replace) of its own event event_id."""
    out = []
    for e in bot_events(member, room, bot_id):
        rel = (e.get("content") or {}).get("m.relates_to") or {}
        if rel.get("rel_type") == "m.replace" and rel.get("event_id") == event_id:
            out.append(e)
    return out


async def wait_edits(w, room, event_id, n, timeout=20):
    """Wait until the bot edited event_id n times; returns the edits."""
    await w.anna.wait_for(
        lambda: len(edits_of(w.anna, room, w.bot_id, event_id)) >= n, timeout,
        f"{n} edit(s) of {event_id}", abort=w.bot.died)
    return edits_of(w.anna, room, w.bot_id, event_id)


def check_edit(ev, needle):
    """ev is an edit as Element shows it "(edited)": the new text in
    m.new_content, the " * " fallback in body and formatted_body."""
    c = ev["content"]
    nc = c["m.new_content"]
    assert needle in nc["body"], nc
    assert c["body"] == " * " + nc["body"], c
    assert c["formatted_body"] == " * " + nc["formatted_body"], c
    assert "m.relates_to" not in nc, nc
    assert nc["msgtype"] == "m.notice", nc


async def edit(w, room, original, text, mentions=()):
    eid, sent = await jsclient.send(
        w.anna, room, text if isinstance(text, list) else [text],
        edit={"event_id": original, "mentions": list(mentions)})
    assert sent["body"].startswith(" * "), sent
    assert sent["m.relates_to"] == {"rel_type": "m.replace",
                                    "event_id": original}, sent
    return eid


def test_edit_of_a_refused_command_runs_once(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            cid, _ = await jsclient.send(w.anna, room, "!hlp")
            got = await w.anna.wait_replies(room, w.bot_id, [cid], 20,
                                            abort=w.bot.died)
            refusal = got[cid][0]
            assert "Onbekend commando" in refusal.body, refusal.body
            # The correction: the refusal becomes the help.
            await edit(w, room, cid, "!hulp")
            edits = await wait_edits(w, room, refusal.event_id, 1)
            check_edit(edits[0], HELP)
            await asyncio.sleep(SETTLE)
            assert len(edits_of(w.anna, room, w.bot_id, refusal.event_id)) == 1
            assert [r.event_id for r in w.anna.replies_to(
                room, w.bot_id, [cid])[cid]] == [refusal.event_id]
            # Edited again: it ran, so one note; a third edit: nothing.
            await edit(w, room, cid, "!hulp agenda")
            await w.anna.wait_for(
                lambda: len(w.anna.replies_to(room, w.bot_id, [cid])[cid]) >= 2,
                20, "the note", abort=w.bot.died)
            note = w.anna.replies_to(room, w.bot_id, [cid])[cid][1]
            assert "voer ik niet uit" in note.body, note.body
            assert note.msgtype == "m.notice", note.raw
            before = len(bot_events(w.anna, room, w.bot_id))
            await edit(w, room, cid, "!hulp vergadering")
            await asyncio.sleep(SETTLE)
            assert len(bot_events(w.anna, room, w.bot_id)) == before
    run(body())


def test_correction_refused_again_then_right(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            bram_id, bram = await joined_member(homeserver, users, w, "bram")
            try:
                cid, _ = await jsclient.send(w.anna, room, "!actie")
                got = await w.anna.wait_replies(room, w.bot_id, [cid], 20,
                                                abort=w.bot.died)
                refusal = got[cid][0]
                assert "eigenaar" in refusal.body, refusal.body
                # Still without an owner: the refusal is edited again.
                await edit(w, room, cid, "!actie stukken rondsturen")
                edits = await wait_edits(w, room, refusal.event_id, 1)
                check_edit(edits[0], "eigenaar")
                # Right, with a pill: an action for Bram. It notifies Bram,
                # which an edit never does: a new message, m.text.
                await edit(w, room, cid, ["!actie ", pill(bram_id, "Bram"),
                                          " stukken rondsturen"])
                await w.anna.wait_for(
                    lambda: any(r.mentions == [bram_id] for r in
                                w.anna.replies_to(room, w.bot_id, [cid])[cid]),
                    20, "the action's answer", abort=w.bot.died)
                ans = [r for r in w.anna.replies_to(room, w.bot_id, [cid])[cid]
                       if r.mentions == [bram_id]]
                assert len(ans) == 1 and ans[0].msgtype == "m.text", ans
                await asyncio.sleep(SETTLE)
                assert len(edits_of(w.anna, room, w.bot_id,
                                    refusal.event_id)) == 1
                eid, got = await w.ask("noord", "!acties")
                assert "stukken rondsturen" in got[0].body, got[0].body
                assert got[0].body.count("stukken rondsturen") == 1, got[0].body
            finally:
                await bram.close()
    run(body())


def test_edit_while_the_bot_was_down(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            cid, _ = await jsclient.send(w.anna, room, "!hlp")
            got = await w.anna.wait_replies(room, w.bot_id, [cid], 20,
                                            abort=w.bot.died)
            refusal = got[cid][0]
            w.bot.stop()
            await edit(w, room, cid, "!hulp")
            w.bot.start()
            edits = await wait_edits(w, room, refusal.event_id, 1, timeout=40)
            check_edit(edits[0], HELP)
            await asyncio.sleep(SETTLE)
            # A kill and a start again: the edit is not run twice.
            w.bot.kill()
            w.bot.start()
            eid, _ = await w.ask("noord", "!hulp")
            await asyncio.sleep(SETTLE)
            assert len(edits_of(w.anna, room, w.bot_id, refusal.event_id)) == 1
            assert len(w.anna.replies_to(room, w.bot_id, [cid])[cid]) == 1
    run(body())
