"""Bodies and proposals that travel (issue 19, items 1 and 2) over Matrix:
one network with three rooms, each the room of one body — a subteam
(AL1-team), the action-line meeting and the board (BNO). A proposal made
in the subteam's room is prepared in its meeting, forwarded, approved by
the action-line meeting, forwarded with `!agenda doorsturen` and adopted
by the board; `!agenda` in each room shows that room's body (two bodies
come from [body.NAME] sections of the config, one from `!orgaan nieuw`);
`!voorstel 1` shows the three steps and the register (`!besluiten`) holds
the three decisions, each following the one before."""

from bot import Network
from client import Member
from helpers import check_reply, meeting_date, run, World


async def _three_rooms(homeserver, users, bots):
    anna_id, anna_pw = users.new("anna")
    anna = await Member(homeserver.url, anna_id, anna_pw).start()
    rooms = {}
    for name in ("subteam", "actielijnen", "bno"):
        rooms[name] = await anna.create_room(f"MGZ {name}")
    bot = bots.new([Network("mgz", list(rooms.values()))], admins=[anna_id])
    # The board and the subteam come from [body.NAME] sections, the
    # action-line meeting from !orgaan nieuw (below).
    base = bot.config_text
    bodies = (f"\n[body.BNO]\nnetwork = mgz\nkind = board\nrooms = {rooms['bno']}\n"
              f"chair = {anna_id}\n"
              f"\n[body.AL1-team]\nnetwork = mgz\nkind = subteam\n"
              f"rooms = {rooms['subteam']}\n")
    bot.config_text = lambda: base() + bodies
    w = World(homeserver, bot, anna, rooms)
    bot.start()
    for room_id in rooms.values():
        await anna.invite(room_id, bot.user_id)
    for room_id in rooms.values():
        await w.wait_joined(room_id)
    return w


async def _ok(w, room, body, *needles):
    eid, replies = await w.ask(room, body)
    check_reply(replies[0], eid)
    text = "\n".join(r.body or "" for r in replies)
    for n in needles:
        assert n in text, f"{body!r}: {n!r} not in {text!r}"
    return replies


def test_mgz_proposal_path(homeserver, users, bots):
    async def body():
        w = await _three_rooms(homeserver, users, bots)
        try:
            await _path(w, users)
        finally:
            await w.anna.close()
    run(body(), timeout=300)


async def _path(w, users):
    vera_id, _ = users.new("vera")
    await _ok(w, "subteam", "!orgaan", "AL1-team (subteam)", "BNO (bestuurlijk overleg)")
    await _ok(w, "actielijnen", "!orgaan nieuw Actielijnenoverleg actielijnenoverleg",
              "Orgaan Actielijnenoverleg (actielijnenoverleg) aangemaakt")
    await _ok(w, "actielijnen", "!orgaan kamer Actielijnenoverleg", "Deze kamer hoort nu bij")
    await _ok(w, "bno", f"!orgaan lid BNO {vera_id} adviserend", "adviserend lid van BNO")
    titles = {"subteam": "AL1-team", "actielijnen": "Actielijnenoverleg", "bno": "BNO"}
    for days, room in ((10, "subteam"), (20, "actielijnen"), (30, "bno")):
        await _ok(w, room, f"!vergadering plan {meeting_date(days)} titel {titles[room]}",
                  "is gepland")
    await _ok(w, "bno", "!agenda", "Agenda BNO")
    await _ok(w, "actielijnen", "!agenda", "Agenda Actielijnenoverleg")

    await _ok(w, "subteam", "!voorstel nieuw Samen scholen in de regio",
              "Voorstel V1 van AL1-team gemaakt")
    await _ok(w, "subteam", "!vergadering start 1", "is geopend")
    await _ok(w, "subteam", "!voorstel besluit 1 akkoord",
              "Besluit 1 vastgelegd: Voorstel V1 (Samen scholen in de regio) "
              "voorbereid door AL1-team.")
    await _ok(w, "subteam", "!vergadering einde")
    await _ok(w, "subteam", "!voorstel doorsturen 1 Actielijnenoverleg",
              "op de agenda van Actielijnenoverleg, vergadering 2")

    await _ok(w, "actielijnen", "!vergadering start 2", "Voorstel V1: Samen scholen")
    await _ok(w, "actielijnen", "!voorstel besluit 1 akkoord",
              "goedgekeurd door Actielijnenoverleg. Volgt op besluit 1.")
    await _ok(w, "actielijnen", "!vergadering einde")
    await _ok(w, "actielijnen", "!agenda doorsturen 2 BNO",
              "Punt 2 staat nu als punt 3 op de agenda van BNO")

    await _ok(w, "bno", "!vergadering start 3", "Voorstel V1: Samen scholen")
    await _ok(w, "bno", "!voorstel besluit 1 akkoord",
              "vastgesteld door BNO. Volgt op besluit 2.")
    await _ok(w, "bno", "!vergadering einde")
    await _ok(w, "bno", "!voorstel 1", "Stand: vastgesteld, nu bij BNO",
              "1. voorbereid door AL1-team in vergadering 1",
              "2. goedgekeurd door Actielijnenoverleg in vergadering 2",
              "3. vastgesteld door BNO in vergadering 3")
    await _ok(w, "bno", "!besluiten", "Besluiten (3 van 3",
              "voorbereid door AL1-team.",
              "goedgekeurd door Actielijnenoverleg. Volgt op besluit 1.",
              "vastgesteld door BNO. Volgt op besluit 2.")
