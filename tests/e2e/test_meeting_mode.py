"""Meeting mode end to end against Synapse (issue 8): the secretary opens
the meeting, decisions, action items and notes are logged from a nio
client as #-lines in ordinary messages (each logged message gets one ✅
reaction from the bot, no chatty reply), a message is edited (m.replace)
and another redacted, a bad line is answered, and at the end the bot posts
the summary and the minutes as Markdown and HTML, in which the edit shows
and the redacted decision does not.
"""

import datetime

from zoneinfo import ZoneInfo

from client import Member
from helpers import REPLY_TIMEOUT, check_reply, run, shows, text_of, world

ACK = "\u2705"


def near_start():
    """A planned start half an hour from now, Amsterdam time."""
    t = datetime.datetime.now(ZoneInfo("Europe/Amsterdam")) \
        + datetime.timedelta(minutes=30)
    return t.strftime("%d-%m-%Y %H:%M")


def due_date(days=30):
    return (datetime.date.today() + datetime.timedelta(days=days)).strftime("%d-%m-%Y")


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


async def wait_ack(w, room, event_id):
    await w.anna.wait_for(lambda: ACK in reactions(w.anna, room, w.bot_id, event_id),
                          REPLY_TIMEOUT, f"the bot's reaction on {event_id}",
                          abort=w.bot.died)


async def edit(member, room, event_id, new_body):
    """Send an m.replace edit of event_id; returns the edit's event id."""
    eid, _ = await member.send_raw(room, "m.room.message", {
        "msgtype": "m.text", "body": "* " + new_body,
        "m.new_content": {"msgtype": "m.text", "body": new_body},
        "m.relates_to": {"rel_type": "m.replace", "event_id": event_id},
    })
    return eid


async def all_replies(w, room, event_id, n):
    """Wait until the command event_id has n replies; return them."""
    await w.anna.wait_for(
        lambda: len(w.anna.replies_to(room, w.bot_id, [event_id])[event_id]) >= n,
        REPLY_TIMEOUT, f"{n} replies to {event_id}", abort=w.bot.died)
    return w.anna.replies_to(room, w.bot_id, [event_id])[event_id]


def test_meeting_mode(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            daan_id, daan_pw = users.new("daan")
            daan = await Member(homeserver.url, daan_id, daan_pw).start()
            try:
                await w.anna.invite(room, daan_id)
                await daan.wait_for(lambda: room in daan.invites, 10, "daan's invite")
                await daan.join(room)

                eid, rs = await w.ask("noord", f"!vergadering plan {near_start()} "
                                      "titel Werktafel proef")
                check_reply(rs[0], eid)
                for title, theme in (("Scholingsdag", "arbeidsmarkt"),
                                     ("Kwaliteitsindicatoren", "samenwerking")):
                    eid, rs = await w.ask("noord", f"!agenda voorstel {title}\n"
                                          f"thema: {theme}\nwaarom: omdat het moet")
                    assert "Voorstel genoteerd" in rs[0].body, text_of(rs)
                for n in (1, 2):
                    eid, rs = await w.ask("noord", f"!agenda accepteer {n}")
                    assert "staat op de agenda" in rs[0].body, text_of(rs)

                eid, rs = await w.ask("noord", "!vergadering start")
                check_reply(rs[0], eid)
                assert "Vergadering 1 (Werktafel proef) is geopend" in rs[0].body, text_of(rs)
                eid, rs = await w.ask("noord", "!vergadering start")
                assert "al geopend" in rs[0].body, text_of(rs)

                await daan.send_text(room, "Goedenavond allemaal.")

                # Several lines in one message: one reaction, no reply.
                logged = await w.anna.send_text(
                    room, "Samengevat:\n#besluit Eerste versie van het besluit\n"
                    f"#actie {daan_id} programma opstellen voor {due_date()}\n"
                    "```\n#besluit dit is code\n```\n#info Iedereen was enthousiast")
                await wait_ack(w, room, logged)
                # An edit changes the decision; no second reaction.
                await edit(w.anna, room, logged,
                           "Samengevat:\n#besluit De scholingsdag komt er in oktober\n"
                           f"#actie {daan_id} programma opstellen voor {due_date()}\n"
                           "#info Iedereen was enthousiast")
                # A decision that is redacted again.
                gone = await w.anna.send_text(room, "#besluit Dit besluit trekken we in")
                await wait_ack(w, room, gone)
                resp = await w.anna.client.room_redact(room, gone, reason="vergissing")
                assert getattr(resp, "event_id", None), resp
                # A bad line: an answer, nothing logged.
                bad = await w.anna.send_text(room, "#actie zonder eigenaar")
                got = await w.anna.wait_replies(room, w.bot_id, [bad], REPLY_TIMEOUT,
                                                abort=w.bot.died)
                assert "eigenaar nodig" in got[bad][0].body, text_of(got[bad])
                assert reactions(w.anna, room, w.bot_id, bad) == []

                eid, rs = await w.ask("noord", "!punt volgende")
                assert "Kwaliteitsindicatoren" in rs[0].body, text_of(rs)
                # The chair logs by command too.
                cmd = await w.anna.send_text(room, "!besluit We meten drie indicatoren")
                await wait_ack(w, room, cmd)

                # The register shows the edit and not the redacted decision
                # (handled in order, so this reply comes after both).
                eid, rs = await w.ask("noord", "!besluiten")
                reg = rs[0].body
                assert "De scholingsdag komt er in oktober" in reg, reg
                assert "Eerste versie" not in reg, reg
                assert "trekken we in" not in reg, reg
                assert "dit is code" not in reg, reg
                assert "(2 van 2" in reg, reg

                end = await w.anna.send_text(room, "!vergadering einde")
                rs = await all_replies(w, room, end, 3)
                summary, summary_reply = rs[0].body, rs[0]
                for r in rs:
                    check_reply(r, end)
                # The minutes come as two uploaded files.
                files = {}
                for r in rs[1:]:
                    assert r.msgtype == "m.file" and r.url.startswith("mxc://"), r.raw
                    status, data, ctype = await w.anna.download(r.url)
                    assert status == 200, (status, r.url)
                    files[r.body] = (data.decode("utf-8"), ctype)
                names = sorted(files)
                assert len(names) == 2, names
                md_name = next(n for n in names if n.endswith(".md"))
                html_name = next(n for n in names if n.endswith(".html"))
                md, md_type = files[md_name]
                html, html_type = files[html_name]
                md = md_name + "\n" + md
                html = html_name + "\n" + html
                assert md_type.startswith("text/markdown"), md_type
                assert html_type.startswith("text/html"), html_type
                assert "Vergadering 1 (Werktafel proef) is gesloten" in summary, summary
                assert shows(summary_reply, daan_id) and shows(summary_reply, w.anna.user_id), \
                    summary_reply.raw
                assert "1. Scholingsdag" in summary, summary
                assert "De scholingsdag komt er in oktober" in summary, summary
                assert "programma opstellen" in summary, summary
                assert "Besluit 3: We meten drie indicatoren" in summary, summary
                assert "notulen-vergadering-1-" in md and ".md" in md, md
                assert "# Notulen Werktafel proef (vergadering 1)" in md, md
                assert "## 2. Kwaliteitsindicatoren" in md, md
                assert "Iedereen was enthousiast" in md, md
                assert "trekken we in" not in md and "Eerste versie" not in md, md
                assert "<!DOCTYPE html>" in html and ".html" in html, html
                # Exactly one reaction on each logged message.
                for e in (logged, cmd):
                    assert reactions(w.anna, room, w.bot_id, e) == [ACK], \
                        reactions(w.anna, room, w.bot_id, e)

                eid, rs = await w.ask("noord", "!acties")
                assert "programma opstellen" in rs[0].body, text_of(rs)
            finally:
                await daan.close()
    run(body())
