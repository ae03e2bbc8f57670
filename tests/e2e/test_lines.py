"""Action-line sign-up end to end against Synapse (issue 19, item 5): a
member signs up with `!al aanmelden AL1` and sees the wanted team size, the
project lead gets a direct message with the command to confirm, confirms
in the room, and the member hears it by direct message (m.text that pings
them), after which `!al AL1` lists them in the team.
"""

from helpers import ask_as, check_reply, joined_member, run, text_of, world
from test_reminders import wait_invite

TIMEOUT = 60


def from_bot(member, room_id, bot_id, needle):
    return [r for r in member.replies(room_id, bot_id) if needle in (r.body or "")]


async def direct_message(member, w, needle):
    """Join the direct chat the bot opens for member and return the bot's
    message there holding needle."""
    dm = await wait_invite(member, set(), timeout=TIMEOUT, abort=w.bot.died)
    await member.join(dm)
    await member.wait_for(lambda: from_bot(member, dm, w.bot_id, needle), TIMEOUT,
                          f"a direct message with {needle!r}", w.bot.died)
    return from_bot(member, dm, w.bot_id, needle)[0]


def test_signup_confirmed_by_lead(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            lead_id, lead = await joined_member(homeserver, users, w, "daan")
            ida_id, ida = await joined_member(homeserver, users, w, "ida")
            try:
                eid, rs = await w.ask("noord", "!al nieuw Samen leren in de regio\n"
                                      f"projectleider: {lead_id}")
                check_reply(rs[0], eid)
                assert "AL1" in rs[0].body, text_of(rs)

                eid, rs = await ask_as(ida, w, "!al aanmelden AL1")
                check_reply(rs[0], eid)
                assert "Je aanmelding voor het team van AL1" in rs[0].body, text_of(rs)
                assert "Gewenst: 3 projectteamleden per actielijn, nu 0 teamleden." \
                    in rs[0].body, text_of(rs)

                # The lead hears of it by direct message, with the command.
                told = await direct_message(lead, w, "meldt zich aan")
                assert f"!al bevestig AL1 {ida_id}" in told.body, told.body
                assert told.msgtype == "m.text", told.raw
                assert told.mentions == [lead_id], told.raw

                eid, rs = await ask_as(lead, w, f"!al bevestig AL1 {ida_id}")
                check_reply(rs[0], eid)
                assert "is nu teamlid van AL1" in text_of(rs), text_of(rs)

                # The member hears it by direct message, pinged.
                got = await direct_message(ida, w, "Welkom in het team van AL1")
                assert got.msgtype == "m.text", got.raw
                assert got.mentions == [ida_id], got.raw

                eid, rs = await w.ask("noord", "!al AL1")
                check_reply(rs[0], eid)
                text = text_of(rs)
                assert "nu 1 teamlid" in text, text
            finally:
                await lead.close()
                await ida.close()
    run(body())
