"""The end-to-end encryption client itself (tests/e2e/e2ee_client.py, on
matrix-js-sdk's Rust crypto), without the bot: devices of two users, and a
second device of one of them, in an encrypted room on the test Synapse
decrypt each other's messages and files; the server holds only
m.room.encrypted; a message whose room key is held back stays undecryptable
until the key is released, and is decrypted then."""

import os

from e2ee_client import devices, relation
from helpers import run

WAIT = 30


def _text_from(sender, eid):
    """Predicate: the decrypted message eid from sender."""
    return lambda e: (e["event_id"] == eid and e["sender"] == sender
                      and e["type"] == "m.room.message")


def _three_devices(homeserver, users):
    """Device specs: anna, bram, and anna's second device."""
    anna_id, anna_pw = users.new("anna")
    bram_id, bram_pw = users.new("bram")
    return [(homeserver.url, anna_id, anna_pw, "anna"),
            (homeserver.url, bram_id, bram_pw, "bram"),
            (homeserver.url, anna_id, anna_pw, "anna2")]


def test_messages_and_files_decrypt_on_every_device(homeserver, users):
    async def body():
        specs = _three_devices(homeserver, users)
        async with devices(*specs) as (anna, bram, anna2):
            assert anna.device_id != anna2.device_id
            assert anna.keys["ed25519"] != anna2.keys["ed25519"]
            room = await anna.create_room("Versleuteld overleg",
                                          invite=[bram.user_id])
            await bram.wait_for(lambda: room in bram.membership and
                                bram.membership[room].get(bram.user_id) == "invite",
                                WAIT, "bram's invite")
            await bram.join(room)
            await anna.wait_membership(room, bram.user_id, "join", WAIT)
            await anna2.wait_for(lambda: anna2.membership.get(room, {})
                                 .get(anna2.user_id) == "join", WAIT,
                                 "anna's room on her second device")

            # anna's message: bram and anna's other device decrypt it.
            a_eid, sent = await anna.send(room, "goedemorgen allemaal")
            for d in (bram, anna2):
                got = await d.wait_message(
                    room, _text_from(anna.user_id, a_eid), WAIT,
                    f"anna's message on {d.name}")
                assert got["encrypted"] and got["decrypted"], got
                assert got["content"]["body"] == "goedemorgen allemaal", got
                assert got["content"] == sent, (got["content"], sent)
                # Sent by anna's first device: its keys, as claimed.
                assert got["claimed_ed25519"] == anna.keys["ed25519"], got
                assert got["sender_key"] == anna.keys["curve25519"], got

            # bram's reply (Element's shape): both of anna's devices.
            b_eid, _ = await bram.send(
                room, "dag anna",
                reply={"event_id": a_eid, "sender": anna.user_id,
                       "body": "goedemorgen allemaal"})
            for d in (anna, anna2):
                got = await d.wait_message(
                    room, _text_from(bram.user_id, b_eid), WAIT,
                    f"bram's reply on {d.name}")
                assert got["decrypted"] and got["content"]["body"] == "dag anna"
                assert got["content"]["m.relates_to"]["m.in_reply_to"] == \
                    {"event_id": a_eid}, got
            reps = anna.replies_to(room, bram.user_id, [a_eid])
            assert [r.event_id for r in reps[a_eid]] == [b_eid], reps

            # Reactions: the SDK, as Element, sends them in the clear (the
            # relation must stay readable to the server); one encrypted
            # anyway (as the bot sends them) decrypts with its relation.
            ann = {"m.relates_to": {"rel_type": "m.annotation",
                                    "event_id": a_eid, "key": "\u2705"}}
            p_eid = await bram.send_event(room, "m.reaction", ann,
                                          encrypted=False)
            r_eid = await bram.send_event(room, "m.reaction", ann,
                                          force_encrypt=True)
            got = await anna.wait_message(room, lambda e: e["event_id"] == r_eid,
                                          WAIT, "bram's reaction on anna's device")
            assert got["type"] == "m.reaction" and got["decrypted"], got
            assert got["wire_type"] == "m.room.encrypted", got
            assert relation(got) == ann["m.relates_to"], got

            # A file from anna's second device: bram gets the same bytes.
            data = os.urandom(70000) + "notulen ü\n".encode()
            f_eid, fsent = await anna2.send_file(room, "notulen.txt", data,
                                                 "text/plain")
            got = await bram.wait_message(
                room, lambda e: e["event_id"] == f_eid, WAIT,
                "the file message on bram's device")
            c = got["content"]
            assert c["msgtype"] == "m.file" and "url" not in c, c
            assert c["file"]["url"].startswith("mxc://"), c
            assert await bram.download(c["file"]) == data
            # A wrong hash is refused (the client checks, not trusts).
            bad = dict(c["file"], hashes={"sha256": "A" * 43})
            try:
                await bram.download(bad)
            except RuntimeError as e:
                assert "SHA-256" in str(e), e
            else:
                raise AssertionError("a file with a wrong hash decrypted")

            # The server holds every message encrypted, the file key too.
            raw = {e["event_id"]: e for e in await bram.raw_events(room)}
            for eid in (a_eid, b_eid, r_eid, f_eid):
                assert raw[eid]["type"] == "m.room.encrypted", raw[eid]
                c = raw[eid]["content"]
                assert c["algorithm"] == "m.megolm.v1.aes-sha2", c
                assert "body" not in c and "file" not in c, c
            assert fsent["file"]["key"]["k"] not in str(raw[f_eid])
            msgs = [e for e in raw.values() if e["type"] == "m.room.message"]
            assert not msgs, msgs
            assert raw[p_eid]["type"] == "m.reaction", raw[p_eid]
    run(body(), timeout=180)


def test_held_back_room_key_decrypts_when_it_arrives(homeserver, users):
    async def body():
        anna_id, anna_pw = users.new("anna")
        bram_id, bram_pw = users.new("bram")
        async with devices((homeserver.url, anna_id, anna_pw, "anna-hold"),
                           (homeserver.url, bram_id, bram_pw, "bram-hold")) \
                as (anna, bram):
            room = await anna.create_room("Later sleutel", invite=[bram_id])
            await bram.join(room)
            await anna.wait_membership(room, bram_id, "join", WAIT)
            await anna.hold_keys()
            eid, _ = await anna.send(room, "de sleutel komt later")
            # bram has the message but not its key.
            await bram.wait_for(lambda: eid in bram.events, WAIT,
                                "the message on bram's device")
            await bram.wait_for(lambda: bram.events[eid].get("failure"), WAIT,
                                "bram's device to give up decrypting for now")
            ev = bram.events[eid]
            assert ev["encrypted"] and not ev["decrypted"], ev
            assert await anna.release_keys() >= 1
            got = await bram.wait_message(room, lambda e: e["event_id"] == eid,
                                          WAIT, "the late key to decrypt it")
            assert got["content"]["body"] == "de sleutel komt later", got
    run(body(), timeout=120)


def test_restarted_device_keeps_its_keys(homeserver, users):
    """A client restart (same device, same crypto store) keeps the device's
    identity and its room keys: a later message in the same session (no
    new key sent, the device is known) still decrypts."""
    async def body():
        anna_id, anna_pw = users.new("anna")
        bram_id, bram_pw = users.new("bram")
        async with devices((homeserver.url, anna_id, anna_pw, "anna-rs"),
                           (homeserver.url, bram_id, bram_pw, "bram-rs")) \
                as (anna, bram):
            room = await anna.create_room("Herstart", invite=[bram_id])
            await bram.join(room)
            await anna.wait_membership(room, bram_id, "join", WAIT)
            e1, _ = await anna.send(room, "voor de herstart")
            await bram.wait_message(room, lambda e: e["event_id"] == e1, WAIT,
                                    "the first message on bram's device")
            before = dict(bram.keys)
            assert await bram.restart() == before
            await anna.hold_keys()      # nothing may need sending now
            e2, _ = await anna.send(room, "na de herstart")
            assert await anna.release_keys() == 0, \
                "anna sent bram a key again: the test proves nothing"
            got = await bram.wait_message(room, lambda e: e["event_id"] == e2,
                                          WAIT, "the second message after the restart")
            assert got["content"]["body"] == "na de herstart", got
            assert got["sender_key"] == anna.keys["curve25519"], got
    run(body(), timeout=120)
