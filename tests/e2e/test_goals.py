"""Goals and effect measurement end to end against Synapse (issue 20):
the admin's `!doel nieuw` makes a goal with eva as its owner, eva records
measurements and gets confirmations as replies, an outsider's measurement
is refused and changes nothing, `!doelen` shows the latest value with its
trend in words and arrow, and an action line's indicator with its
0-measurement shows in `!al <code>`.
"""

from helpers import ask_as, check_reply, joined_member, run, text_of, world


def test_goal_measure_and_list(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            eva_id, eva = await joined_member(homeserver, users, w, "eva")
            olaf_id, olaf = await joined_member(homeserver, users, w, "olaf")
            try:
                eid, rs = await w.ask("noord", "!doel nieuw Gemiddeld een 8 van patiënten en naasten\n"
                                      "doel: 8\neenheid: cijfer\nperiode: 2025-2027\n"
                                      f"eigenaar: {eva_id}\nmeetfrequentie: per kwartaal")
                check_reply(rs[0], eid)
                assert "Doel 1 aangemaakt" in rs[0].body, text_of(rs)

                eid, rs = await ask_as(eva, w, "!doel meting 1 7,2 1-1-2026 enquête")
                check_reply(rs[0], eid)
                assert "opgeslagen: 7,2 cijfer" in rs[0].body, text_of(rs)
                eid, rs = await ask_as(eva, w, "!doel meting 1 7,8")
                check_reply(rs[0], eid)

                eid, rs = await ask_as(olaf, w, "!doel meting 1 10")
                check_reply(rs[0], eid)
                assert "Alleen de eigenaar van doel 1" in rs[0].body, text_of(rs)

                eid, rs = await w.ask("noord", "!doelen")
                check_reply(rs[0], eid)
                text = text_of(rs)
                assert "laatste meting 7,8 cijfer" in text, text
                assert "↑ gestegen (was 7,2 cijfer)" in text, text
                assert "10 cijfer" not in text, text
                assert "<strong>1.</strong>" in rs[0].formatted_body, rs[0].formatted_body

                eid, rs = await w.ask("noord", "!doel 1")
                check_reply(rs[0], eid)
                assert "bron: enquête" in text_of(rs), text_of(rs)

                eid, rs = await w.ask("noord", "!al nieuw Samen leren in de regio\n"
                                      f"projectleider: {eva_id}")
                check_reply(rs[0], eid)
                eid, rs = await ask_as(eva, w, "!al indicator AL1 nieuw Deelnemers aan scholing\n"
                                       "eenheid: deelnemers\nnulmeting: 12 1-6-2026 presentielijst")
                check_reply(rs[0], eid)
                assert "aangemaakt met 0-meting" in rs[0].body, text_of(rs)
                eid, rs = await ask_as(eva, w, "!al meting AL1 1 20")
                check_reply(rs[0], eid)
                assert "0-meting 12 deelnemers, ↑ gestegen" in rs[0].body, text_of(rs)
                eid, rs = await w.ask("noord", "!al AL1")
                check_reply(rs[0], eid)
                text = text_of(rs)
                assert "Effectmeting" in text, text
                assert "nu 20 deelnemers" in text, text
            finally:
                await eva.close()
                await olaf.close()
    run(body())
