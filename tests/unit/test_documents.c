/* Documents (issue 18, item 4) through wt_dispatch: a file attached by a
 * reply to its message (as the sync noted it), a link, the meeting's own
 * document, `bijlage:` lines in a proposal; !stukken, the agenda view and
 * the minutes list them; removal. Every refusal in both languages leaves
 * the database as it was. And the sync's part: file messages noted (an
 * encrypted one with its EncryptedFile whole), a deleted one forgotten. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/sync_files.h"
#include "handlers/context.h"
#include "handlers/documents.h"
#include "handlers/meeting_mode.h"
#include "handlers/render.h"
#include "lib/strbuf.h"
#include "storage/agenda.h"
#include "storage/db.h"
#include "storage/documents.h"
#include "storage/meetings.h"
#include "storage/roles.h"
#include "tests/unit/fixture.h"

/* 2027-01-15 12:00 UTC. */
#define NOW 1800014400

static char *rooms[] = { "!werktafel:demo.test" };
static struct wt_network net_nl = { .name = "demo", .rooms = rooms, .nrooms = 1, .lang = LANG_NL, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static struct wt_network net_en = { .name = "demo-en", .rooms = rooms, .nrooms = 1, .lang = LANG_EN, .tz = "Europe/Amsterdam", .advice_wait_days = 14 };
static const char *const admins[] = { "@admin:demo.test", NULL };

#define ROOM "!werktafel:demo.test"
#define SECR "@bram:demo.test"
#define MEMBER "@daan:demo.test"
#define OTHER "@eva:demo.test"
#define FILE_EV "$bestand1"
#define CRYPT_EV "$versleuteld1"
#define CRYPT_FILE "{\"hashes\":{\"sha256\":\"abc\"},\"iv\":\"x\",\"key\":{\"k\":\"geheim\"},\"url\":\"mxc://demo.test/enc\",\"v\":\"v2\"}"

/* A meeting (1) with item 1 accepted in both networks, and two file
 * messages seen in the room: a plain and an encrypted one. */
static int setup(void **state)
{
	struct fx_cmds *f = fx_new(NOW, admins);
	f->room = ROOM;
	for (int i = 0; i < 2; i++) {
		const struct wt_network *net = i ? &net_en : &net_nl;
		roles_set(f->db, net->name, SECR, ROLE_SECRETARY, NULL, NOW);
		fx_ok(f, net, SECR, i ? "!meeting plan 12-03-2027 19:30" : "!vergadering plan 12-03-2027 19:30");
		fx_ok(f, net, MEMBER, i ? "!agenda propose Onboarding" : "!agenda voorstel Inwerkprogramma");
		fx_ok(f, net, SECR, i ? "!agenda accept 1" : "!agenda accepteer 1");
	}
	struct wt_room_file plain = { .event_id = FILE_EV, .room_id = ROOM, .sender = OTHER,
		.msgtype = "m.file", .name = "begroting 2027.pdf", .url = "mxc://demo.test/abc",
		.mimetype = "application/pdf", .size = 1234, .seen_at = NOW - 60 };
	struct wt_room_file crypt = { .event_id = CRYPT_EV, .room_id = ROOM, .sender = OTHER,
		.msgtype = "m.image", .name = "schema.png", .file = CRYPT_FILE, .seen_at = NOW - 30 };
	assert_int_equal(room_file_note(f->db, &plain), 0);
	assert_int_equal(room_file_note(f->db, &crypt), 0);
	*state = f;
	return 0;
}

static void test_attach_file_by_reply(void **state)
{
	struct fx_cmds *f = *state;
	f->reply_to = FILE_EV;
	fx_ok(f, &net_nl, MEMBER, "!stuk 1");
	fx_reply_has(f, "Stuk 1 (**begroting 2027\\.pdf**) hoort nu bij punt #1.");
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM documents WHERE kind = 'file'"
		" AND url = 'mxc://demo.test/abc' AND event_id = '$bestand1'"
		" AND room_id = '!werktafel:demo.test' AND msgtype = 'm.file' AND size = 1234"
		" AND meeting_id IS NULL AND item_id IS NOT NULL"), 1);
	/* The same file twice: refused. */
	fx_refused(f, &net_nl, MEMBER, "!stuk 1", WT_EUSAGE, "als stuk 1");
	/* Another title for an encrypted file: the EncryptedFile stays whole. */
	f->reply_to = CRYPT_EV;
	fx_ok(f, &net_nl, MEMBER, "!stuk 1 Schema van de werkgroep");
	fx_reply_has(f, "Stuk 2 (**Schema van de werkgroep**)");
	struct wt_document d;
	assert_int_equal(document_by_short_id(f->db, "demo", 2, &d), 1);
	assert_string_equal(d.file, CRYPT_FILE);
	assert_null(d.url);
	document_free(&d);
	f->reply_to = NULL;
	fx_ok(f, &net_nl, MEMBER, "!stukken");
	fx_reply_has(f, "[begroting 2027\\.pdf](<https://matrix.to/#/!werktafel:demo.test/$bestand1?via=demo.test>) (bestand, stuk 1)");
	fx_reply_has(f, "(versleuteld bestand, stuk 2)");
}

/* A file message deleted in the room: its document goes too. */
static void test_deleted_file_is_no_document(void **state)
{
	struct fx_cmds *f = *state;
	f->reply_to = FILE_EV;
	fx_ok(f, &net_nl, MEMBER, "!stuk 1");
	f->reply_to = NULL;
	fx_ok(f, &net_nl, MEMBER, "!stuk 1 https://example.org/blijft");
	json_t *ev = json_pack("{s:s,s:s,s:s,s:s}", "type", "m.room.redaction", "event_id", "$r1",
			       "sender", OTHER, "redacts", FILE_EV);
	assert_int_equal(sync_note_file(f->db, ROOM, ev, NOW), 0);
	json_decref(ev);
	assert_int_equal(fx_count(f->db, "documents"), 1);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM documents WHERE kind = 'link'"), 1);
	f->reply_to = FILE_EV;
	fx_refused(f, &net_nl, MEMBER, "!stuk 1", WT_EUSAGE, "geen bestand");
}

static void test_attach_link(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!stuk 1 https://example.org/plan?a=1&b=2 Plan van aanpak");
	fx_reply_has(f, "Stuk 1 (**Plan van aanpak**) hoort nu bij punt #1.");
	fx_ok(f, &net_nl, MEMBER, "!stuk 1 http://example.org/kaal");
	fx_ok(f, &net_nl, MEMBER, "!stukken");
	fx_reply_has(f, "1. **Inwerkprogramma** (#1)");
	fx_reply_has(f, "[Plan van aanpak](<https://example.org/plan?a=1&amp;b=2>) (stuk 1)");
	/* The HTML has the link as typed. */
	char *html = render_html(fx_reply0(f));
	assert_non_null(strstr(html, "href=\"https://example.org/plan?a=1&amp;b=2\""));
	free(html);
	/* The same link twice: refused. */
	fx_refused(f, &net_nl, MEMBER, "!stuk 1 http://example.org/kaal", WT_EUSAGE, "als stuk 2");
	/* English. */
	fx_ok(f, &net_en, MEMBER, "!document 1 https://example.org/en Onboarding plan");
	fx_reply_has(f, "Document 1 (**Onboarding plan**) now belongs to item #1.");
	fx_ok(f, &net_en, MEMBER, "!documents 1");
	fx_reply_has(f, "(document 1)");
}

static void test_attach_to_meeting(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, SECR, "!stuk vergadering 1 https://example.org/jaarplan Jaarplan 2027");
	fx_reply_has(f, "Stuk 1 (**Jaarplan 2027**) hoort nu bij vergadering 1.");
	f->reply_to = FILE_EV;
	fx_ok(f, &net_nl, SECR, "!stuk vergadering 1");
	f->reply_to = NULL;
	fx_ok(f, &net_nl, MEMBER, "!stukken");
	fx_reply_has(f, "**Stukken bij de vergadering**");
	fx_reply_has(f, "[Jaarplan 2027](<https://example.org/jaarplan>) (stuk 1)");
	fx_ok(f, &net_nl, MEMBER, "!agenda");
	fx_reply_has(f, "**Stukken bij de vergadering**");
	fx_refused(f, &net_nl, SECR, "!stuk vergadering 9 https://example.org/", WT_ENOTFOUND,
		   "Vergadering 9 bestaat niet.");
	fx_refused(f, &net_nl, SECR, "!stuk vergadering", WT_EUSAGE, "Welke vergadering?");
	fx_refused(f, &net_en, SECR, "!document meeting 9 https://example.org/", WT_ENOTFOUND,
		   "There is no meeting 9.");
	fx_ok(f, &net_nl, SECR, "!vergadering annuleer 1");
	fx_refused(f, &net_nl, SECR, "!stuk vergadering 1 https://example.org/x", WT_EUSAGE,
		   "Vergadering 1 is geannuleerd");
}

static void test_refusals(void **state)
{
	struct fx_cmds *f = *state;
	/* No reply and no link. */
	fx_refused(f, &net_nl, MEMBER, "!stuk 1", WT_EUSAGE, "Stuur dit commando als antwoord");
	fx_refused(f, &net_nl, MEMBER, "!stuk 1 Notitie", WT_EUSAGE, "Welk stuk?");
	fx_refused(f, &net_en, MEMBER, "!document 1", WT_EUSAGE, "Send this command as a reply");
	/* No item, an unknown one, a word that is no number. */
	fx_refused(f, &net_nl, MEMBER, "!stuk", WT_EUSAGE, "Welk agendapunt?");
	fx_refused(f, &net_nl, MEMBER, "!stuk 7 https://example.org/", WT_ENOTFOUND,
		   "Agendapunt #7 bestaat niet.");
	fx_refused(f, &net_en, MEMBER, "!document 7 https://example.org/", WT_ENOTFOUND,
		   "There is no agenda item #7.");
	fx_refused(f, &net_nl, MEMBER, "!stuk bananen", WT_EUSAGE, "geen onderdeel");
	/* Not a file: a reply to a message the sync saw as no file. */
	f->reply_to = "$gewoon-bericht";
	fx_refused(f, &net_nl, MEMBER, "!stuk 1", WT_EUSAGE, "geen bestand dat ik in deze kamer heb gezien");
	fx_refused(f, &net_en, MEMBER, "!document 1", WT_EUSAGE, "no file I saw in this room");
	/* A file of another room is not this room's. */
	struct wt_room_file elders = { .event_id = "$elders", .room_id = "!elders:demo.test",
		.sender = OTHER, .msgtype = "m.file", .name = "x.pdf", .url = "mxc://demo.test/x",
		.seen_at = NOW };
	assert_int_equal(room_file_note(f->db, &elders), 0);
	f->reply_to = "$elders";
	fx_refused(f, &net_nl, MEMBER, "!stuk 1", WT_EUSAGE, "geen bestand");
	f->reply_to = NULL;
	/* Links that are no http(s) ones. */
	fx_refused(f, &net_nl, MEMBER, "!stuk 1 ftp://example.org/x", WT_EUSAGE, "geen link die ik kan opnemen");
	fx_refused(f, &net_nl, MEMBER, "!stuk 1 mxc://demo.test/abc", WT_EUSAGE, "geen link");
	fx_refused(f, &net_nl, MEMBER, "!stuk 1 javascript:alert(1)", WT_EUSAGE, "geen link");
	fx_refused(f, &net_nl, MEMBER, "!stuk 1 www.example.org", WT_EUSAGE, "geen link");
	fx_refused(f, &net_nl, MEMBER, "!stuk 1 https://", WT_EUSAGE, "geen link");
	fx_refused(f, &net_nl, MEMBER, "!stuk 1 https://ex<ample>.org", WT_EUSAGE, "geen link");
	fx_refused(f, &net_en, MEMBER, "!document 1 mailto:someone", WT_EUSAGE, "is not a link I can take");
	fx_refused(f, &net_nl, MEMBER, "!stuk 1 https://example.org/\xE2\x80\xAE" "fdp.exe", WT_EUSAGE,
		   "geen link");
	fx_refused(f, &net_nl, MEMBER, "!stuk 1 https://example.org/a\"b", WT_EUSAGE, "geen link");
	/* A name with other letters is a link like any. */
	fx_ok(f, &net_nl, MEMBER, "!stuk 1 https://café.example.org/menu Menu");
	fx_ok(f, &net_nl, MEMBER, "!stuk weg 1");
	/* A title too long; more lines. */
	struct strbuf long_title = STRBUF_INIT;
	sb_add(&long_title, "!stuk 1 https://example.org/ ");
	for (int i = 0; i < 30; i++)
		sb_add(&long_title, "heel lang ");
	fx_refused(f, &net_nl, MEMBER, long_title.buf, WT_EUSAGE, "te lang");
	sb_release(&long_title);
	fx_refused(f, &net_nl, MEMBER, "!stuk 1 https://example.org/\nnog een regel", WT_EUSAGE,
		   "Hier hoort niets meer achter");
	/* A withdrawn item takes no documents. */
	assert_int_equal(db_execf(f->db, "UPDATE agenda_items SET state = 'withdrawn'"
				  " WHERE network = 'demo'", ""), 0);
	fx_refused(f, &net_nl, MEMBER, "!stuk 1 https://example.org/", WT_EUSAGE, "ingetrokken");
	assert_int_equal(fx_count(f->db, "documents"), 0);
}

static void test_remove(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!stuk 1 https://example.org/a Eerste");
	fx_ok(f, &net_nl, MEMBER, "!stuk 1 https://example.org/b Tweede");
	/* Someone else may not; a secretary may. */
	fx_refused(f, &net_nl, OTHER, "!stuk weg 1", WT_EPERM,
		   "Stuk 1 is toegevoegd door [daan](https://matrix.to/#/@daan:demo.test); alleen die persoon");
	fx_refused(f, &net_en, OTHER, "!document remove 1", WT_ENOTFOUND, "There is no document 1.");
	fx_ok(f, &net_nl, MEMBER, "!stuk weg 1");
	fx_reply_has(f, "Stuk 1 (**Eerste**) is weggehaald.");
	fx_ok(f, &net_nl, SECR, "!stuk weg 2");
	assert_int_equal(fx_count(f->db, "documents"), 0);
	fx_refused(f, &net_nl, SECR, "!stuk weg 2", WT_ENOTFOUND, "Stuk 2 bestaat niet.");
	fx_refused(f, &net_nl, SECR, "!stuk weg", WT_EUSAGE, "Welk stuk? Geef zijn nummer");
	fx_refused(f, &net_nl, SECR, "!stuk weg twee", WT_EUSAGE, "geen nummer van een stuk");
	fx_refused(f, &net_nl, SECR, "!stuk weg 2 3", WT_EUSAGE, "Hier hoort niets meer achter");
}

static void test_proposal_attachments(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!agenda voorstel Regionale scholing\n"
	      "bijlage: https://example.org/notitie Notitie\n"
	      "Bijlage : https://example.org/begroting");
	fx_reply_has(f, "Er horen 2 stukken bij; `!stukken` toont ze.");
	struct wt_agenda_item it;
	assert_int_equal(agenda_by_short_id(f->db, "demo", 2, &it), 1);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM documents d JOIN agenda_items a"
		" ON a.id = d.item_id WHERE a.network = 'demo' AND a.short_id = 2"), 2);
	agenda_item_free(&it);
	/* The proposals show them under the item. */
	fx_ok(f, &net_nl, MEMBER, "!agenda");
	fx_reply_has(f, "[Notitie](<https://example.org/notitie>) (stuk 1)");
	fx_reply_has(f, "[https\\://example\\.org/begroting](<https://example.org/begroting>) (stuk 2)");
	fx_ok(f, &net_nl, MEMBER, "!stukken");
	fx_reply_has(f, "**Regionale scholing** (voorstel #2)");
	fx_ok(f, &net_en, MEMBER, "!agenda propose Training\nattachment: https://example.org/t");
	fx_reply_has(f, "It has 1 document; `!documents` shows it.");
	/* A bad line refuses the whole proposal. */
	long long items = fx_count(f->db, "agenda_items");
	fx_refused(f, &net_nl, MEMBER, "!agenda voorstel Iets\nbijlage: ftp://example.org/x",
		   WT_EUSAGE, "geen link die ik kan opnemen");
	fx_refused(f, &net_nl, MEMBER, "!agenda voorstel Iets\nbijlage:", WT_EUSAGE,
		   "Achter `bijlage:` staat niets");
	fx_refused(f, &net_en, MEMBER, "!agenda propose Something\nattachment: file:///etc/passwd",
		   WT_EUSAGE, "is not a link I can take");
	struct strbuf many = STRBUF_INIT;
	sb_add(&many, "!agenda voorstel Veel");
	for (int i = 0; i < 21; i++)
		sb_addf(&many, "\nbijlage: https://example.org/%d", i);
	fx_refused(f, &net_nl, MEMBER, many.buf, WT_EUSAGE, "hoogstens 20 bijlagen");
	sb_release(&many);
	assert_int_equal(fx_count(f->db, "agenda_items"), items);
}

static void test_none(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!stukken");
	fx_reply_has(f, "Bij vergadering 1 horen nog geen stukken.");
	fx_ok(f, &net_en, MEMBER, "!documents");
	fx_reply_has(f, "Meeting 1 has no documents yet.");
	fx_refused(f, &net_nl, MEMBER, "!stukken 5", WT_ENOTFOUND, "Vergadering 5 bestaat niet.");
	fx_refused(f, &net_nl, MEMBER, "!stukken 1 2", WT_EUSAGE, "Hier hoort niets meer achter");
	fx_ok(f, &net_nl, SECR, "!vergadering annuleer 1");
	fx_ok(f, &net_nl, MEMBER, "!stukken");
	fx_reply_has(f, "Er is geen vergadering gepland, dus ook geen stukken.");
}

static void test_minutes_list_documents(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!stuk 1 https://example.org/plan Plan");
	fx_ok(f, &net_nl, SECR, "!stuk vergadering 1 https://example.org/jaarplan Jaarplan");
	f->now = 1804440600;  /* 2027-03-12 19:30 local */
	fx_ok(f, &net_nl, SECR, "!vergadering start 1");
	fx_ok(f, &net_nl, SECR, "!vergadering einde");
	int found = 0;
	for (size_t i = 0; i < f->out.n; i++) {
		const char *md = f->out.v[i].markdown;
		if (f->out.v[i].kind == REPLY_FILE && f->out.v[i].filename
		    && strstr(f->out.v[i].filename, ".md")) {
			assert_non_null(strstr(md, "## 1. Inwerkprogramma"));
			assert_non_null(strstr(md, "- 📎 [Plan](<https://example.org/plan>) (stuk 1)"));
			assert_non_null(strstr(md, "**Stukken**\n- 📎 [Jaarplan](<https://example.org/jaarplan>) (stuk 2)"));
			found = 1;
		}
	}
	assert_true(found);
}

/* The render API others call (the invitation): an item's and a meeting's
 * documents into a strbuf, nothing for none. */
static void test_render_api(void **state)
{
	struct fx_cmds *f = *state;
	fx_ok(f, &net_nl, MEMBER, "!stuk 1 https://example.org/plan Plan");
	struct wt_agenda_item it;
	struct wt_meeting m;
	assert_int_equal(agenda_by_short_id(f->db, "demo", 1, &it), 1);
	assert_int_equal(meeting_by_short_id(f->db, "demo", 1, &m), 1);
	struct wt_replies out = { 0 };
	struct wt_ctx ctx = { .db = f->db, .net = &net_nl, .lang = LANG_NL, .out = &out };
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(docs_render_item(&sb, &ctx, it.id, "   "), 1);
	assert_string_equal(sb.buf, "\n   - 📎 [Plan](<https://example.org/plan>) (stuk 1)");
	sb_reset(&sb);
	assert_int_equal(docs_render_meeting(&sb, &ctx, m.id, ""), 0);
	assert_int_equal(sb.len, 0);
	assert_int_equal(docs_render_overview(&sb, &ctx, &m), 1);
	assert_non_null(strstr(sb.buf, "1. **Inwerkprogramma** (#1)"));
	sb_release(&sb);
	agenda_item_free(&it);
	meeting_free(&m);
	wt_replies_free(&out);
}

/* ---- the sync's part ---- */

static json_t *file_event(const char *id, const char *msgtype, json_t *extra)
{
	json_t *ev = json_pack("{s:s,s:s,s:s,s:I,s:{s:s,s:s}}", "type", "m.room.message",
			       "event_id", id, "sender", OTHER, "origin_server_ts",
			       (json_int_t)NOW * 1000, "content", "msgtype", msgtype,
			       "body", "verslag.pdf");
	json_object_update(json_object_get(ev, "content"), extra);
	json_decref(extra);
	return ev;
}

static void test_sync_notes_files(void **state)
{
	sqlite3 *db = *state;
	json_t *ev = file_event("$f1", "m.file", json_pack("{s:s,s:s,s:{s:s,s:i}}",
		"url", "mxc://demo.test/f1", "filename", "verslag maart.pdf",
		"info", "mimetype", "application/pdf", "size", 2048));
	assert_int_equal(sync_note_file(db, ROOM, ev, NOW), 0);
	json_decref(ev);
	struct wt_room_file f;
	assert_int_equal(room_file_get(db, ROOM, "$f1", &f), 1);
	assert_string_equal(f.name, "verslag maart.pdf");
	assert_string_equal(f.url, "mxc://demo.test/f1");
	assert_string_equal(f.mimetype, "application/pdf");
	assert_int_equal(f.size, 2048);
	assert_null(f.file);
	room_file_free(&f);
	assert_int_equal(room_file_get(db, "!elders:demo.test", "$f1", &f), 0);
	/* Encrypted: the EncryptedFile object whole, no plain url. */
	ev = file_event("$f2", "m.image", json_pack("{s:{s:s,s:s,s:{s:s},s:{s:s},s:s}}",
		"file", "url", "mxc://demo.test/enc", "iv", "aXY", "key", "k", "c2xldXRlbA",
		"hashes", "sha256", "aGFzaA", "v", "v2"));
	assert_int_equal(sync_note_file(db, ROOM, ev, NOW), 0);
	json_decref(ev);
	assert_int_equal(room_file_get(db, ROOM, "$f2", &f), 1);
	assert_string_equal(f.name, "verslag.pdf");
	assert_null(f.url);
	json_error_t err;
	json_t *file = json_loads(f.file, 0, &err);
	assert_non_null(file);
	assert_string_equal(json_string_value(json_object_get(json_object_get(file, "key"), "k")),
			    "c2xldXRlbA");
	assert_string_equal(json_string_value(json_object_get(file, "url")), "mxc://demo.test/enc");
	json_decref(file);
	room_file_free(&f);
	/* Not files: text, a file without url, an edit, a url that is no mxc. */
	json_t *no[] = {
		fx_msg_event("$t1", OTHER, "gewoon", NOW * 1000LL),
		file_event("$n1", "m.file", json_object()),
		file_event("$n2", "m.file", json_pack("{s:s,s:{s:s}}", "url", "mxc://demo.test/x",
			   "m.relates_to", "rel_type", "m.replace")),
		file_event("$n3", "m.file", json_pack("{s:s}", "url", "https://example.org/x")),
	};
	for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
		assert_int_equal(sync_note_file(db, ROOM, no[i], NOW), 0);
		json_decref(no[i]);
	}
	assert_int_equal(fx_count(db, "room_files"), 2);
	/* A deleted file is forgotten (room version 11: redacts in content). */
	ev = json_pack("{s:s,s:s,s:s,s:{s:s}}", "type", "m.room.redaction", "event_id", "$r1",
		       "sender", OTHER, "content", "redacts", "$f1");
	assert_int_equal(sync_note_file(db, ROOM, ev, NOW), 0);
	json_decref(ev);
	assert_int_equal(room_file_get(db, ROOM, "$f1", &f), 0);
	/* Deleting one of another room changes nothing here. */
	ev = json_pack("{s:s,s:s,s:s,s:s}", "type", "m.room.redaction", "event_id", "$r2",
		       "sender", OTHER, "redacts", "$f2");
	assert_int_equal(sync_note_file(db, "!elders:demo.test", ev, NOW), 0);
	json_decref(ev);
	assert_int_equal(room_file_get(db, ROOM, "$f2", &f), 1);
	room_file_free(&f);
	/* A year on, the old ones go when a new one comes. */
	ev = file_event("$f3", "m.file", json_pack("{s:s}", "url", "mxc://demo.test/f3"));
	assert_int_equal(sync_note_file(db, ROOM, ev, NOW + 367LL * 86400), 0);
	json_decref(ev);
	assert_int_equal(fx_count(db, "room_files"), 1);
}

/* Through sync_apply: a file message in a network's room is noted, in a
 * room of no network it is not. */
static void test_sync_apply_notes_files(void **state)
{
	struct fx_sync *f = *state;
	struct wt_config cfg = { .networks = &net_nl, .nnetworks = 1 };
	f->env.cfg = &cfg;
	f->env.user_id = "@werktafel:demo.test";
	f->env.dispatch = wt_dispatch_message;
	json_t *join = json_pack("{s:s,s:s,s:s,s:s,s:I,s:{s:s}}", "type", "m.room.member",
		"event_id", "$join", "sender", "@werktafel:demo.test", "state_key",
		"@werktafel:demo.test", "origin_server_ts", (json_int_t)NOW * 1000 - 60000,
		"content", "membership", "join");
	json_t *r = json_pack("{s:s,s:{s:{s:{s:{s:[o]}}}}}", "next_batch", "s0", "rooms", "join",
			      ROOM, "timeline", "events", join);
	struct sync_stats st;
	assert_int_equal(sync_apply(&f->env, r, &st), 0);
	json_decref(r);
	json_t *ev = file_event("$sf1", "m.file", json_pack("{s:s}", "url", "mxc://demo.test/s"));
	r = json_pack("{s:s,s:{s:{s:{s:{s:[o]}}}}}", "next_batch", "s1", "rooms", "join",
		      ROOM, "timeline", "events", ev);
	assert_int_equal(sync_apply(&f->env, r, &st), 0);
	json_decref(r);
	assert_int_equal(fx_int(f->db, "SELECT count(*) FROM room_files WHERE event_id = '$sf1'"), 1);
	ev = file_event("$sf2", "m.file", json_pack("{s:s}", "url", "mxc://demo.test/t"));
	r = json_pack("{s:s,s:{s:{s:{s:{s:[o]}}}}}", "next_batch", "s2", "rooms", "join",
		      "!elders:demo.test", "timeline", "events", ev);
	assert_int_equal(sync_apply(&f->env, r, &st), 0);
	json_decref(r);
	assert_int_equal(fx_count(f->db, "room_files"), 1);
}

static int sync_setup(void **state)
{
	*state = fx_sync_new();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_attach_file_by_reply, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_deleted_file_is_no_document, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_attach_link, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_attach_to_meeting, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_remove, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_proposal_attachments, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_none, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_minutes_list_documents, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_render_api, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_sync_notes_files, fx_db_setup, fx_db_teardown),
		cmocka_unit_test_setup_teardown(test_sync_apply_notes_files, sync_setup,
						fx_sync_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
