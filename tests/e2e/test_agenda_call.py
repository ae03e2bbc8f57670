"""The call for agenda items and the proposer told (issue 18, items 1 and
2), end to end against Synapse: `!agenda oproep` posts the call in the
network's room as m.text with the room's members in m.mentions (so their
phones buzz: Synapse lists it as a highlight), and a refused proposal reaches its proposer by direct
message, with the reason.
"""

from helpers import ask_as, joined_member, meeting_date, run, world
from test_notify import mention_pinged, notified
from test_reminders import FIRE_TIMEOUT, fired, wait_invite


def test_call_mentions_members_and_refusal_reaches_proposer(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            uid, member = await joined_member(homeserver, users, w, "lid")
            try:
                await w.ask("noord", f"!vergadering plan {meeting_date(30)}")
                _, got = await ask_as(member, w, "!agenda voorstel Zorgkosten per instelling")
                assert "punt #1" in got[0].body, got[0].body
                assert "Nog niet ingevuld: thema, waarom, wat en hoe" in got[0].body
                # Refused: the room hears it, the proposer by direct message.
                _, got = await w.ask("noord", "!agenda weiger 1 Dit speelt op instellingsniveau")
                assert any("is geweigerd" in (r.body or "") for r in got), [r.body for r in got]
                dm = await wait_invite(member, set(), abort=w.bot.died)
                await member.join(dm)
                await member.wait_for(
                    lambda: fired(member, dm, w.bot_id, "instellingsniveau"),
                    FIRE_TIMEOUT, "the refusal by direct message", w.bot.died)
                msg = fired(member, dm, w.bot_id, "instellingsniveau")[0]
                assert "Je agendapunt #1" in msg.body, msg.body
                assert msg.msgtype == "m.text", msg.raw
                assert uid in msg.mentions, msg.raw
                # The call: in the room, not a reply, mentioning the members.
                _, got = await w.ask("noord", "!agenda oproep")
                assert "staat in 1 kamer" in got[0].body, got[0].body
                await w.anna.wait_for(
                    lambda: fired(w.anna, room, w.bot_id, "Oproep: agendapunten"),
                    FIRE_TIMEOUT, "the call in the room", w.bot.died)
                call = fired(w.anna, room, w.bot_id, "Oproep: agendapunten")[0]
                assert call.msgtype == "m.text", call.raw
                assert uid in call.mentions, call.raw
                assert w.anna.user_id in call.mentions, call.raw
                assert w.bot_id not in call.mentions, call.raw
                assert "!agenda voorstel <titel>" in call.body, call.body
                n = await notified(member, call.event_id)
                assert mention_pinged(homeserver, n), n
            finally:
                await member.close()
    run(body())
