"""Documents (issue 18, item 4): a member uploads a file and sends it in
the network's room as m.file, as Element does; the secretary replies to it
with `!stuk 1` the way Element sends a reply today (m.relates_to with
m.in_reply_to, no fallback in the body); `!stukken` lists it as a link to
the file message itself (https://matrix.to/#/<room>/<event>). A reply to
a text message is refused: it is no file, nothing is attached."""

import io
import json
import secrets

from nio import UploadResponse

from helpers import check_reply, meeting_date, run, world


def test_file_attached_by_reply(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            _, replies = await w.ask("noord", f"!vergadering plan {meeting_date()}")
            assert "Vergadering 1 is gepland" in replies[0].body, replies[0].body
            _, replies = await w.ask("noord", "!agenda voorstel Inwerkprogramma")
            assert "punt #1" in replies[0].body, replies[0].body

            # The upload and the file message, as a client sends them.
            tag = secrets.token_hex(3)
            name = f"notitie-{tag}.pdf"
            data = b"%PDF-1.4 inwerkprogramma " + tag.encode()
            resp, _ = await w.anna.client.upload(
                io.BytesIO(data), content_type="application/pdf",
                filename=name, filesize=len(data))
            assert isinstance(resp, UploadResponse), resp
            file_id, _ = await w.anna.send_raw(room, "m.room.message", {
                "msgtype": "m.file", "body": name, "filename": name,
                "url": resp.content_uri,
                "info": {"mimetype": "application/pdf", "size": len(data)}})
            await w.anna.wait_echo(room, file_id, 20)

            # A reply as Element sends it: no fallback in the body.
            eid, _ = await w.anna.send_raw(room, "m.room.message", {
                "msgtype": "m.text", "body": "!stuk 1",
                "m.relates_to": {"m.in_reply_to": {"event_id": file_id}}})
            got = await w.anna.wait_replies(room, w.bot_id, [eid], 20,
                                            abort=w.bot.died)
            ack = got[eid][0]
            check_reply(ack, eid)
            assert f"Stuk 1 ({name}) hoort nu bij punt #1." in ack.body, ack.body

            # A reply to a text message: no file, refused, nothing stored.
            text_id = await w.anna.send_text(room, "Hier staat geen bestand in.")
            await w.anna.wait_echo(room, text_id, 20)
            eid2, _ = await w.anna.send_raw(room, "m.room.message", {
                "msgtype": "m.text", "body": "!stuk 1",
                "m.relates_to": {"m.in_reply_to": {"event_id": text_id}}})
            got = await w.anna.wait_replies(room, w.bot_id, [eid2], 20,
                                            abort=w.bot.died)
            assert "geen bestand" in got[eid2][0].body, got[eid2][0].body

            # !stukken lists it, linked as the file message.
            _, replies = await w.ask("noord", "!stukken")
            listing = replies[0]
            link = f"https://matrix.to/#/{room}/{file_id}"
            assert name in listing.body, listing.body
            assert "(bestand, stuk 1)" in listing.body, listing.body
            assert "stuk 2" not in listing.body, listing.body
            html = listing.formatted_body or ""
            assert f'<a href="{link}' in html, html
            # The agenda shows it under the item.
            _, replies = await w.ask("noord", "!agenda")
            assert name in replies[0].body, replies[0].body
    run(body())


def test_encrypted_file_stays_encrypted(homeserver, users, bots):
    """In an encrypted room (matrix-js-sdk as Element): the file is an
    encrypted attachment; `!stuk 1` as a reply without fallback attaches
    it; the bot keeps the EncryptedFile object whole (no plain url, no
    copy of its own) and `!stukken` links to the file message."""
    import sqlite3
    from test_e2ee import e2ee_world

    async def body():
        async with e2ee_world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            a = w.anna
            _, rs = await w.ask(a, "noord", f"!vergadering plan {meeting_date()}")
            assert "Vergadering 1 is gepland" in rs[0].body, rs[0].body
            _, rs = await w.ask(a, "noord", "!agenda voorstel Versleuteld stuk")
            assert "punt #1" in rs[0].body, rs[0].body
            tag = secrets.token_hex(3)
            name = f"geheim-{tag}.pdf"
            file_id, content = await a.send_file(room, name, b"%PDF vertrouwelijk",
                                                 "application/pdf")
            fo = content["file"]
            assert "url" not in content, content
            eid, _ = await a.send(room, "!stuk 1", reply={
                "event_id": file_id, "sender": a.user_id, "body": name,
                "fallback": False})
            got = await a.wait_replies(room, w.bot_id, [eid], 30,
                                       abort=w.bot.died)
            ack = got[eid][0]
            assert f"Stuk 1 ({name}) hoort nu bij punt #1." in ack.body, ack.body
            _, rs = await w.ask(a, "noord", "!stukken")
            listing = rs[0]
            assert "(versleuteld bestand, stuk 1)" in listing.body, listing.body
            link = f"https://matrix.to/#/{room}/{file_id}"
            assert f'<a href="{link}' in (listing.formatted_body or ""), \
                listing.formatted_body
            db = sqlite3.connect(w.bot.database)
            try:
                row = db.execute("SELECT url, file, event_id FROM documents"
                                 " WHERE short_id = 1").fetchone()
            finally:
                db.close()
            assert row[0] is None and row[2] == file_id, row
            kept = json.loads(row[1])
            assert kept == fo, (kept, fo)
    run(body(), timeout=200)
