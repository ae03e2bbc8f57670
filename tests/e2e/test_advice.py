"""Advice requests end to end against Synapse (issue 7): a board member
submits asked advice, the chair accepts and assigns a member whose
expertise matches, the assignee drafts, the chair delivers (in the room and
by direct message to the board member who asked) and the board decides; an
illegal step and an outsider's draft are refused and change nothing.
Everything is asserted from the nio clients of the people involved.
"""

import datetime

from helpers import ask_as, check_reply, joined_member, run, shows, text_of, world

DM_TIMEOUT = 30


def test_advice_from_request_to_decision(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            people = {}
            try:
                for name in ("vera", "carla", "daan", "olaf"):
                    people[name] = await joined_member(homeserver, users, w, name)
                vera_id, vera = people["vera"]      # chair
                carla_id, carla = people["carla"]   # board member
                daan_id, daan = people["daan"]      # member with expertise
                olaf_id, olaf = people["olaf"]      # member, not assigned

                # anna (admin) sets the roles.
                for uid, role in ((vera_id, "voorzitter"), (carla_id, "bestuurder")):
                    eid, rs = await w.ask("noord", f"!rol {uid} {role}")
                    check_reply(rs[0], eid)
                eid, rs = await ask_as(daan, w, "!expertise Dementie, ouderenzorg")
                check_reply(rs[0], eid)

                deadline = (datetime.date.today()
                            + datetime.timedelta(days=30)).strftime("%d-%m-%Y")
                eid, rs = await ask_as(carla, w,
                                       "!advies nieuw Expertteam dementie\n"
                                       "vraag: Hoe bundelen we kennis over dementie?\n"
                                       "thema: samenwerking\n"
                                       f"deadline: {deadline}\n"
                                       f"gevraagd door: {carla_id}")
                check_reply(rs[0], eid)
                assert "Adviesaanvraag A1 ontvangen" in rs[0].body, text_of(rs)
                assert "Gevraagd advies" in rs[0].body, text_of(rs)
                assert carla_id in rs[0].mentions, rs[0].raw

                # An illegal step: delivering a request that is only received.
                eid, rs = await ask_as(vera, w, "!advies uitbrengen A1")
                check_reply(rs[0], eid)
                assert "is ontvangen" in rs[0].body, text_of(rs)
                assert "Wat nu kan" in rs[0].body, text_of(rs)

                eid, rs = await ask_as(vera, w, "!advies accepteer A1")
                check_reply(rs[0], eid)
                assert "geaccepteerd" in rs[0].body, text_of(rs)
                assert shows(rs[0], daan_id), rs[0].raw     # suggested

                eid, rs = await ask_as(vera, w, f"!advies wijs toe A1 {daan_id}")
                check_reply(rs[0], eid)
                assert "toegewezen aan" in rs[0].body, text_of(rs)
                assert daan_id in rs[0].mentions, rs[0].raw

                # Someone not assigned may not draft.
                eid, rs = await ask_as(olaf, w, "!advies concept A1 Mijn idee")
                check_reply(rs[0], eid)
                assert "wie eraan is toegewezen" in rs[0].body, text_of(rs)

                eid, rs = await ask_as(daan, w,
                                       "!advies concept A1 Wij adviseren een "
                                       "**regionaal** expertteam.\n\n"
                                       "Met vaste spreekuren.")
                check_reply(rs[0], eid)
                assert "Concept voor A1 opgeslagen" in rs[0].body, text_of(rs)

                dm_known = set(carla.invites)
                eid, rs = await ask_as(vera, w, "!advies uitbrengen A1")
                check_reply(rs[0], eid)
                text = text_of(rs)
                assert "Advies van de werktafel aan het bestuur" in text, text
                assert "Met vaste spreekuren." in text, text
                assert "Mijn idee" not in text, text
                # The draft's own markup stays text.
                assert "<strong>regionaal" not in rs[0].formatted_body, rs[0].formatted_body
                assert "<strong>" in rs[0].formatted_body, rs[0].formatted_body
                assert carla_id in rs[0].mentions, rs[0].raw

                # The board member who asked also gets it by direct message.
                await carla.wait_for(lambda: carla.invites - dm_known, DM_TIMEOUT,
                                     "an invite to a direct chat", w.bot.died)
                dm = sorted(carla.invites - dm_known)[0]
                await carla.join(dm)
                await carla.wait_for(
                    lambda: any("Advies van de werktafel" in (r.body or "")
                                for r in carla.replies(dm, w.bot_id)),
                    DM_TIMEOUT, "the advice by direct message", w.bot.died)

                eid, rs = await ask_as(carla, w,
                                       "!advies besluit A1 overgenomen We starten in het voorjaar.")
                check_reply(rs[0], eid)
                assert "Besluit over advies A1" in rs[0].body, text_of(rs)
                assert "overgenomen" in rs[0].body, text_of(rs)

                eid, rs = await w.ask("noord", "!advies A1")
                check_reply(rs[0], eid)
                text = text_of(rs)
                assert "besluit genomen" in text, text
                for who, step in ((carla_id, "ingediend"), (vera_id, "geaccepteerd"),
                                  (vera_id, "toegewezen"), (daan_id, "concept"),
                                  (vera_id, "advies uitgebracht"), (carla_id, "besluit")):
                    # Shown by name (Synapse's default display name is
                    # the localpart), as a pill in formatted_body.
                    name = who.split(":")[0][1:]
                    assert f"{name}: {step}" in text, (who, step, text)
                    assert shows(rs[0], who), rs[0].raw

                eid, rs = await w.ask("noord", "!advies archief")
                check_reply(rs[0], eid)
                assert "A1" in rs[0].body and "besluit: overgenomen" in rs[0].body, text_of(rs)
            finally:
                for _uid, m in people.values():
                    await m.close()
    run(body())
