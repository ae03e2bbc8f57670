"""Logged items read back as Element users meet them (issue 13, item 5),
sent through matrix-js-sdk: a #actie line with the owner picked as a pill
gets the check mark and a notice with the action's number, the owner's
display name (a pill in formatted_body) and the due date as read; in a
thread the notice goes in the thread; the owner gets one direct message
(m.text naming them in m.mentions, in their /notifications); a due date
that is no date is refused with how to write it, nothing logged."""

import secrets

from client import Member
from helpers import run, world
import jsclient
from jsclient import pill
from test_notify import mention_pinged, notified
from test_reminders import wait_invite


def reactions(member, room_id, sender, event_id):
    return [ev for ev in member.events(room_id)
            if ev.get("type") == "m.reaction" and ev.get("sender") == sender
            and ((ev.get("content") or {}).get("m.relates_to") or {})
            .get("event_id") == event_id]


def dms(member, room_id, sender, tag):
    return [r for r in member.replies(room_id, sender)
            if tag in (r.body or "")]


def test_action_read_back_thread_and_owner_dm(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            piet_id, piet_pw = users.new("piet")
            piet = await Member(homeserver.url, piet_id, piet_pw).start()
            try:
                name = f"Piet Jansen {secrets.token_hex(2)}"
                await piet.client.set_displayname(name)
                await w.anna.invite(room, piet_id)
                await piet.join(room)
                await w.anna.wait_membership(room, piet_id, "join", 10)
                tag = secrets.token_hex(3)
                # The owner picked from the autocomplete, a period as due.
                eid, sent = await jsclient.send(
                    w.anna, room, ["#actie ", pill(piet_id, name),
                                   f" offerte-{tag} aanvragen voor eind januari"])
                assert sent["m.mentions"]["user_ids"] == [piet_id], sent
                got = await w.anna.wait_replies(room, w.bot_id, [eid], 20,
                                                abort=w.bot.died)
                rb = got[eid][0]
                assert rb.body.startswith(f"Actie 1 voor {name}, uiterlijk "), rb.body
                # The last working day of January, at the end of the day.
                assert " januari 20" in rb.body, rb.body
                assert "17:00 (de laatste werkdag van januari)" in rb.body, rb.body
                assert f"offerte-{tag} aanvragen" in rb.body, rb.body
                assert "matrix.to" not in rb.body, rb.body
                assert (f'<a href="https://matrix.to/#/{piet_id}">'
                        in rb.formatted_body), rb.formatted_body
                assert rb.mentions == [piet_id], rb.raw
                await w.anna.wait_for(
                    lambda: reactions(w.anna, room, w.bot_id, eid), 10,
                    "the check mark")
                # The owner's direct message: once, m.text, naming them.
                dm = await wait_invite(piet, {room}, abort=w.bot.died)
                await piet.join(dm)
                await piet.wait_for(
                    lambda: dms(piet, dm, w.bot_id, f"offerte-{tag}"), 20,
                    "the owner's direct message", w.bot.died)
                first = dms(piet, dm, w.bot_id, f"offerte-{tag}")
                assert len(first) == 1, [r.body for r in first]
                assert first[0].msgtype == "m.text", first[0].raw
                assert first[0].mentions == [piet_id], first[0].raw
                assert "Nieuwe actie 1 voor jou" in first[0].body, first[0].body
                assert f"matrix.to/#/{room}/{eid}" in first[0].body, first[0].body
                # In a thread: the read-back in the thread; the DM, now that
                # the owner is in the chat, is in their notifications.
                root = await w.anna.send_text(room, "Agendapunt 3: begroting")
                await w.anna.wait_echo(room, root, 20)
                tid, _ = await jsclient.send(
                    w.anna, room, ["#besluit begroting akkoord\n#actie ",
                                   pill(piet_id, name), f" cijfers-{tag} voor vrijdag"],
                    thread={"root": root})
                got = await w.anna.wait_replies(room, w.bot_id, [tid], 20,
                                                abort=w.bot.died)
                rb = got[tid][0]
                rel = rb.raw["content"]["m.relates_to"]
                assert rel["rel_type"] == "m.thread" and rel["event_id"] == root, rel
                assert "Besluit 1: begroting akkoord" in rb.body, rb.body
                assert f"Actie 2 voor {name}, uiterlijk vrijdag " in rb.body, rb.body
                await piet.wait_for(
                    lambda: dms(piet, dm, w.bot_id, f"cijfers-{tag}"), 20,
                    "the second direct message", w.bot.died)
                second = dms(piet, dm, w.bot_id, f"cijfers-{tag}")[0]
                assert "m.relates_to" not in second.raw["content"], second.raw
                n = await notified(piet, second.event_id)
                assert mention_pinged(homeserver, n), n
                # Only the new owner's message: the first is not sent again.
                assert len(dms(piet, dm, w.bot_id, f"offerte-{tag}")) == 1
                # A due date that is no date: refused, how to write it.
                _, got = await w.ask("noord", f"#actie {piet_id} jaarplan voor 2027")
                assert "Een maand of een jaar alleen is geen datum" in got[0].body, \
                    got[0].body
                _, got = await w.ask("noord", "!acties")
                assert "jaarplan" not in got[0].body, got[0].body
            finally:
                await piet.close()
    run(body())
