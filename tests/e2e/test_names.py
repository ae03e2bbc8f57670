"""Names in the bot's replies as Element shows them (issue 13, item 3):
the display name in body, a pill (a matrix.to link) in formatted_body,
and a pill pings nobody: in an assignment only the assignee is in
m.mentions and highlighted in their notification list, while another
member shown in the same message (a suggestion with matching expertise)
is not, checked with Synapse's own /notifications. The command is sent with
matrix-js-sdk as Element sends it (a pill picked from the list)."""

import secrets

from client import Member
from helpers import ask_as, run, world
import jsclient
from jsclient import pill
from test_notify import highlighted, mention_pinged, notified

PILL = '<a href="https://matrix.to/#/{}">{}</a>'


async def named_member(homeserver, users, w, prefix, name):
    """A new user called name, invited by anna and joined to the room."""
    uid, pw = users.new(prefix)
    m = await Member(homeserver.url, uid, pw).start()
    await m.client.set_displayname(name)
    room = w.rooms["noord"]
    await w.anna.invite(room, uid)
    await m.wait_for(lambda: room in m.invites, 10, f"the invite of {uid}")
    await m.join(room)
    await w.anna.wait_membership(room, uid, "join", 10)
    return uid, m


def test_names_and_pills_that_do_not_ping(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            tag = secrets.token_hex(2)
            piet_name, kees_name = f"Piet Jansen {tag}", f"Kees de Vries {tag}"
            piet_id, piet = await named_member(homeserver, users, w, "piet", piet_name)
            kees_id, kees = await named_member(homeserver, users, w, "kees", kees_name)
            try:
                # An action for Piet, picked as a pill.
                eid, _ = await jsclient.send(
                    w.anna, room, ["!actie ", pill(piet_id, piet_name),
                                   " notulen rondsturen"])
                got = await w.anna.wait_replies(room, w.bot_id, [eid], 20,
                                                abort=w.bot.died)
                r = [x for x in got[eid] if x.msgtype != "m.file"][0]
                assert r.mentions == [piet_id], r.raw

                # The list: names in body, pills in formatted_body, nobody
                # pinged (m.notice, empty m.mentions).
                _, got = await w.ask("noord", "!acties")
                lst = got[0]
                line = next(l for l in lst.body.splitlines()
                            if "notulen rondsturen" in l)
                assert piet_name in line and piet_id not in line, lst.body
                assert PILL.format(piet_id, piet_name) in lst.formatted_body
                assert lst.msgtype == "m.notice" and lst.mentions == [], lst.raw
                assert await notified(piet, lst.event_id, timeout=2) is None

                # Both have expertise; the request is assigned to Piet only.
                for m in (piet, kees):
                    await ask_as(m, w, "!expertise dementie")
                _, got = await w.ask("noord", "!advies nieuw Expertteam dementie\n"
                                     "vraag: Hoe bundelen we kennis over dementie?")
                assert "A1" in got[0].body, got[0].body
                _, got = await w.ask("noord", "!advies accepteer A1")
                eid, _ = await jsclient.send(
                    w.anna, room, ["!advies wijs toe A1 ", pill(piet_id, piet_name)])
                got = await w.anna.wait_replies(room, w.bot_id, [eid], 20,
                                                abort=w.bot.died)
                a = got[eid][0]
                assert a.msgtype == "m.text", a.raw
                assert a.mentions == [piet_id], a.raw
                # Kees is shown (a suggestion), by name and as a pill...
                assert piet_name in a.body and kees_name in a.body, a.body
                assert piet_id not in a.body and kees_id not in a.body, a.body
                assert PILL.format(kees_id, kees_name) in a.formatted_body, a.raw
                # ...but only Piet is pinged (a highlight, as a mention);
                # for Kees it is an ordinary message of the room (the
                # default .m.rule.message counts every m.text as unread
                # for everybody, without highlight).
                n = await notified(piet, a.event_id)
                assert mention_pinged(homeserver, n), n
                n = await notified(kees, a.event_id, timeout=3)
                assert not n or not highlighted(n["actions"]), n

                # Kees renames himself: the next reply uses the new name.
                new_name = f"K. de Vries-Bos {tag}"
                await kees.client.set_displayname(new_name)
                await w.anna.wait_for(
                    lambda: any(ev.get("type") == "m.room.member"
                                and ev.get("state_key") == kees_id
                                and (ev.get("content") or {})
                                .get("displayname") == new_name
                                for ev in w.anna.events(room)),
                    10, "the rename")
                _, got = await w.ask("noord", "!wie dementie")
                assert new_name in got[0].body, got[0].body
                assert kees_name not in got[0].body, got[0].body
            finally:
                await piet.close()
                await kees.close()
    run(body())
