"""The finalised agenda as the invitation (issue 18, items 3 and 5), on a
real homeserver: `!agenda vaststellen` sends each member of the network's
room a direct message (m.text naming them) with the date, the agenda and
how to answer; a ✅ reaction to it, sent as Element sends m.reaction, is
counted (the bot confirms by direct message); `!afmelden <reden>` from
another member shows in the chair's list (`!aanmeldingen`), with who has
not answered."""

import re

from helpers import ask_as, joined_member, meeting_date, run, world
from test_reminders import wait_invite


def dm_with(member, room_id, sender, needle):
    return [r for r in member.replies(room_id, sender)
            if needle in (r.body or "")]


def line_of(body, label):
    for line in (body or "").splitlines():
        if line.lstrip("- ").startswith(label):
            return line
    return ""


def test_invitation_by_dm_and_rsvp(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            daan_id, daan = await joined_member(homeserver, users, w, "daan")
            eva_id, eva = await joined_member(homeserver, users, w, "eva")
            try:
                await w.ask("noord", f"!vergadering plan {meeting_date()} "
                                     "titel Werktafel voorjaar")
                await w.ask("noord", "!agenda voorstel Regionale scholingsdag\n"
                                     "waarom: nieuwe collega's\nwat: een dag\n"
                                     "hoe: werkgroep")
                await w.ask("noord", "!agenda accepteer 1")
                known = set(daan.invites)
                _, got = await w.ask("noord", "!agenda vaststellen")
                assert any("is vastgesteld" in (r.body or "") for r in got), \
                    [r.body for r in got]
                # The invitation arrives in a direct chat the bot opens.
                dm = await wait_invite(daan, known, abort=w.bot.died)
                await daan.join(dm)
                await daan.wait_for(
                    lambda: dm_with(daan, dm, w.bot_id, "Uitnodiging"), 30,
                    "the invitation", w.bot.died)
                inv = dm_with(daan, dm, w.bot_id, "Uitnodiging")[0]
                assert inv.msgtype == "m.text", inv.raw
                assert inv.mentions == [daan_id], inv.raw
                assert "Regionale scholingsdag" in inv.body, inv.body
                assert "waarom: nieuwe collega's" in inv.body, inv.body
                assert "Reageer op dit bericht met ✅" in inv.body, inv.body
                # ✅ on it, as Element sends a reaction.
                await daan.send_raw(dm, "m.reaction", {"m.relates_to": {
                    "rel_type": "m.annotation", "event_id": inv.event_id,
                    "key": "✅"}})
                await daan.wait_for(
                    lambda: dm_with(daan, dm, w.bot_id, "Genoteerd: je komt"),
                    30, "the confirmation of the RSVP", w.bot.died)
                # Apologies by command from another member.
                _, got = await ask_as(eva, w, "!afmelden ziek")
                assert "je bent afgemeld" in got[0].body, got[0].body
                # The chair's list.
                _, got = await w.ask("noord", "!aanmeldingen")
                html = got[0].formatted_body or ""
                text = got[0].body or ""
                assert f"https://matrix.to/#/{daan_id}" in \
                    line_of(html.replace("<li>", "\n"), "Komen"), html
                apologies = line_of(html.replace("<li>", "\n"), "Afgemeld")
                assert f"https://matrix.to/#/{eva_id}" in apologies, html
                assert "(ziek)" in apologies, html
                no_answer = line_of(text, "Nog geen antwoord")
                assert no_answer and not re.search("werktafel-bot|"
                    + re.escape(w.bot_id), no_answer), text
            finally:
                await daan.close()
                await eva.close()
    run(body())


def test_final_agenda_in_the_room(homeserver, users, bots):
    """The agenda posted in the room takes a ❔ reaction too; after it is
    final the secretary's change is refused and the chair's announced."""
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            eva_id, eva = await joined_member(homeserver, users, w, "eva")
            try:
                await w.ask("noord", f"!rol {eva_id} secretaris")
                await w.ask("noord", f"!vergadering plan {meeting_date()}")
                await w.ask("noord", "!agenda voorstel Eerste punt")
                await w.ask("noord", "!agenda voorstel Tweede punt")
                await w.ask("noord", "!agenda accepteer 1")
                _, got = await w.ask("noord", "!agenda vaststellen", settle=1.0)
                posted = [r for r in w.anna.replies(room, w.bot_id)
                          if "Agenda vastgesteld" in (r.body or "")]
                assert posted, [r.body for r in got]
                await eva.send_raw(room, "m.reaction", {"m.relates_to": {
                    "rel_type": "m.annotation", "event_id": posted[0].event_id,
                    "key": "❔"}})
                _, got = await ask_as(eva, w, "!agenda accepteer 2")
                assert "alleen de voorzitter" in got[0].body, got[0].body
                _, got = await w.ask("noord", "!agenda accepteer 2")
                assert "Wijziging van de agenda" in got[0].body, got[0].body
                _, got = await w.ask("noord", "!aanmeldingen")
                html = (got[0].formatted_body or "").replace("<li>", "\n")
                assert f"https://matrix.to/#/{eva_id}" in \
                    line_of(html, "Misschien"), html
            finally:
                await eva.close()
    run(body())
