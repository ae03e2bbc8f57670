"""Approved minutes are read-only, end to end against Synapse (issue 18,
item 7): with no meeting near, `!vergadering start` asks which meeting and
opens nothing; the secretary opens an ad-hoc meeting explicitly, logs a
decision as a #-line from a nio client and closes the meeting; the next
meeting approves its minutes with a correction; then `!ongedaan` and an
edit (m.replace) of the logged message are refused with the reason, and
the register and `!notulen` still show the approved text.
"""

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


def bot_bodies(member, room, bot_id):
    """The bodies of the bot's messages in room, in order."""
    return [(ev.get("content") or {}).get("body", "") for ev in member.events(room)
            if ev.get("type") == "m.room.message" and ev.get("sender") == bot_id]


def test_minutes_approved_then_undo_refused(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            # Nothing planned near: asked which, nothing opened.
            eid, rs = await w.ask("noord", "!vergadering start")
            check_reply(rs[0], eid)
            assert "Welke vergadering wil je openen?" in rs[0].body, text_of(rs)
            assert "!vergadering start los" in rs[0].body, text_of(rs)

            # Number 1: the refused start made no meeting.
            eid, rs = await w.ask("noord", "!vergadering start los")
            assert "Vergadering 1 (Werktafel) is geopend als losse vergadering" in rs[0].body, \
                text_of(rs)
            logged = await w.anna.send_text(room, "#besluit De scholingsdag komt in oktober")
            await w.anna.wait_for(
                lambda: ACK in reactions(w.anna, room, w.bot_id, logged),
                REPLY_TIMEOUT, "the bot's reaction", abort=w.bot.died)
            end = await w.anna.send_text(room, "!vergadering einde")
            await w.anna.wait_for(
                lambda: len(w.anna.replies_to(room, w.bot_id, [end])[end]) >= 3,
                REPLY_TIMEOUT, "summary and two files", abort=w.bot.died)
            summary = w.anna.replies_to(room, w.bot_id, [end])[end][0].body
            assert "Concept" in summary, summary

            eid, rs = await w.ask("noord", "!vergadering start los")
            assert "Vergadering 2" in rs[0].body, text_of(rs)
            eid, rs = await w.ask("noord", "!notulen vaststellen 1\n"
                                  "correctie: Eva was afwezig met bericht.")
            check_reply(rs[0], eid)
            assert "zijn vastgesteld, met 1 correctie" in rs[0].body, text_of(rs)

            eid, rs = await w.ask("noord", "!ongedaan")
            check_reply(rs[0], eid)
            assert "Dat kan niet meer ongedaan worden" in rs[0].body, text_of(rs)
            assert "vergadering 1" in rs[0].body, text_of(rs)

            # An edit of the logged message, as Element sends it.
            await w.anna.send_raw(room, "m.room.message", {
                "msgtype": "m.text", "body": "* #besluit De scholingsdag komt in december",
                "m.new_content": {"msgtype": "m.text",
                                  "body": "#besluit De scholingsdag komt in december"},
                "m.relates_to": {"rel_type": "m.replace", "event_id": logged},
            })
            await w.anna.wait_for(
                lambda: any("Deze wijziging is niet overgenomen" in b
                            for b in bot_bodies(w.anna, room, w.bot_id)),
                REPLY_TIMEOUT, "the edit refused", abort=w.bot.died)

            # Handled in order: the register comes after the edit.
            eid, rs = await w.ask("noord", "!besluiten")
            reg = rs[0].body
            assert "De scholingsdag komt in oktober" in reg, reg
            assert "december" not in reg, reg
            eid, rs = await w.ask("noord", "!notulen 1")
            assert "Vastgesteld op" in rs[0].body, text_of(rs)
            assert "Eva was afwezig met bericht." in rs[0].body, text_of(rs)
    run(body())
