"""Naming a person as Element does (issue 13, item 2): a person picked
from Element's autocomplete arrives as a pill (display name in body, a
matrix.to link in formatted_body, the user in m.mentions), sent here with
matrix-js-sdk exactly so; a bare @localpart and a display name typed by
hand work too, resolved against the room's members and their names."""

import secrets

from client import Member
from helpers import run, world
import jsclient
from jsclient import pill


def test_action_for_a_pill_and_a_localpart(homeserver, users, bots):
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
                # As Element sends it: the pill.
                eid, sent = await jsclient.send(
                    w.anna, room, ["!actie ", pill(piet_id, name),
                                   " notulen rondsturen"])
                assert sent["body"] == f"!actie {name} notulen rondsturen"
                got = await w.anna.wait_replies(room, w.bot_id, [eid], 20,
                                                abort=w.bot.died)
                text = [r for r in got[eid] if r.msgtype != "m.file"]
                assert text, got
                assert text[0].mentions == [piet_id], text[0].raw
                assert "vastgelegd" in text[0].body, text[0].body
                # A bare localpart, and the display name typed by hand.
                local = piet_id.split(":")[0]
                _, got = await w.ask("noord", f"!actie {local} agenda maken")
                assert got[0].mentions == [piet_id], got[0].raw
                _, got = await w.ask("noord", f"!actie {name} zaal boeken")
                assert got[0].mentions == [piet_id], got[0].raw
                _, got = await w.ask("noord", "!acties")
                listing = got[0].body
                for t in ("notulen rondsturen", "agenda maken", "zaal boeken"):
                    line = next(l for l in listing.splitlines() if t in l)
                    assert piet_id in line or name in line, listing
                # Nobody by that name: a reply that says how to name someone.
                _, got = await w.ask("noord", "!actie @niemand-hier bellen")
                assert "Ik weet niet wie" in got[0].body, got[0].body
            finally:
                await piet.close()
    run(body())
