"""`!herinner mij ...` sent as a reply to any message (issue 13, item 4),
through matrix-js-sdk as Element sends replies, with the old fallback in
the body and without it: the reminder quotes the message and links to it
(https://matrix.to/#/<room>/<event>); without the fallback the bot reads
the message from the homeserver. When it fires, the reminder is m.text
naming the person, in their /notifications, with excerpt and link."""

import secrets

from client import Member
from helpers import run, world
import jsclient
from test_notify import mention_pinged, notified
from test_reminders import wait_fired, wait_invite


def test_remind_me_of_a_message(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            piet_id, piet_pw = users.new("piet")
            piet = await Member(homeserver.url, piet_id, piet_pw).start()
            try:
                await w.anna.invite(room, piet_id)
                await piet.join(room)
                await w.anna.wait_membership(room, piet_id, "join", 10)
                dm = None
                for fallback in (True, False):
                    tag = secrets.token_hex(3)
                    text = f"Het verslag-{tag} van maart staat in de map."
                    orig = await piet.send_text(room, text)
                    await w.anna.wait_echo(room, orig, 20)
                    note = f"nabellen-{tag}"
                    eid, sent = await jsclient.send(
                        w.anna, room, f"!herinner mij over 4 seconden {note}",
                        reply={"event_id": orig, "sender": piet_id,
                               "body": text, "fallback": fallback})
                    assert sent["body"].startswith(">") == fallback, sent
                    got = await w.anna.wait_replies(room, w.bot_id, [eid], 20,
                                                    abort=w.bot.died)
                    ack = got[eid][0]
                    assert "Herinnering #" in ack.body, ack.body
                    assert note in ack.body, ack.body
                    link = f"https://matrix.to/#/{room}/{orig}"
                    assert link in ack.body, ack.body
                    if fallback:  # quoted at once, from the fallback
                        assert f"verslag-{tag}" in ack.body, ack.body
                    # It fires by direct message, with excerpt and link.
                    if dm is None:
                        dm = await wait_invite(w.anna, set(w.rooms.values()),
                                               abort=w.bot.died)
                        await w.anna.join(dm)
                    fired = await wait_fired(w.anna, dm, w.bot_id, note,
                                             abort=w.bot.died)
                    r = fired[0]
                    assert r.msgtype == "m.text", r.raw
                    assert r.mentions == [w.anna.user_id], r.raw
                    assert f"verslag-{tag}" in r.body, r.body
                    assert link in r.body, r.body
                    assert f'href="{link}' in r.formatted_body, r.formatted_body
                    if not fallback:  # anna was in the chat: notified
                        n = await notified(w.anna, r.event_id)
                        assert mention_pinged(homeserver, n), n
                # An event the bot cannot read: the reminder still comes.
                tag = secrets.token_hex(3)
                eid, _ = await jsclient.send(
                    w.anna, room, f"!herinner mij over 3 seconden los-{tag}",
                    reply={"event_id": "$nergens" + secrets.token_hex(8),
                           "sender": piet_id, "body": "", "fallback": False})
                await w.anna.wait_replies(room, w.bot_id, [eid], 20,
                                          abort=w.bot.died)
                fired = await wait_fired(w.anna, dm, w.bot_id, f"los-{tag}",
                                         abort=w.bot.died)
                assert "matrix.to" in fired[0].body, fired[0].body
            finally:
                await piet.close()
    run(body())
