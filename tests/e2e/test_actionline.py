"""Action lines end to end against Synapse (issue 6): the secretary's
`!al nieuw` makes a line, a team member posts `!al update` and gets a
confirmation as a reply, `!al` lists the line with a coloured marker in the
HTML, `!al <code>` shows the update, and an outsider's update is refused
and changes nothing.
"""

from helpers import ask_as, check_reply, joined_member, run, text_of, world


def test_actionline_list_and_update(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            eva_id, eva = await joined_member(homeserver, users, w, "eva")
            olaf_id, olaf = await joined_member(homeserver, users, w, "olaf")
            try:
                # anna is an admin: she creates the line, eva is on its team.
                eid, rs = await w.ask("noord", "!al nieuw Samen leren in de regio\n"
                                      "budget: € 12.500,00\n"
                                      f"projectleider: {w.anna.user_id}\n"
                                      f"team: {eva_id}")
                check_reply(rs[0], eid)
                assert "AL1" in rs[0].body, text_of(rs)

                eid, rs = await ask_as(eva, w, "!al update AL1 Eerste werksessie gehouden")
                check_reply(rs[0], eid)
                assert "Update bij AL1 opgeslagen" in rs[0].body, text_of(rs)

                eid, rs = await ask_as(olaf, w, "!al update AL1 Ik hoor er niet bij")
                check_reply(rs[0], eid)
                assert "Alleen het team van AL1" in rs[0].body, text_of(rs)

                eid, rs = await w.ask("noord", "!al")
                check_reply(rs[0], eid)
                assert "AL1" in rs[0].body and "op schema" in rs[0].body, text_of(rs)
                assert "laatste update vandaag" in rs[0].body, text_of(rs)
                assert "🟢" in rs[0].formatted_body, rs[0].formatted_body
                assert "<strong>AL1</strong>" in rs[0].formatted_body, rs[0].formatted_body

                eid, rs = await w.ask("noord", "!al AL1")
                check_reply(rs[0], eid)
                text = text_of(rs)
                assert "Eerste werksessie gehouden" in text, text
                assert "Ik hoor er niet bij" not in text, text
                assert "€ 12.500,00" in text, text
            finally:
                await eva.close()
                await olaf.close()
    run(body())
