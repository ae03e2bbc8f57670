/* documents: the papers of a meeting and of its agenda items.
 *
 *   !stuk <punt> [titel]              as a reply to a file message: attach it
 *   !stuk <punt> <link> [titel]       attach an http(s) link
 *   !stuk vergadering <id> ...        the same for the meeting itself
 *   !stuk weg <stuk>                  remove (who attached it, or secretary+)
 *   !stukken [<vergadering-id>]       the next meeting's documents, or that one's
 *   !agenda voorstel ... with lines `bijlage: <link> [titel]`
 *
 * A file is the file message in the network's room: the sync notes every
 * file message it sees there (bot/sync_files.h), so a reply without a
 * fallback (as Element sends them) is enough. The document keeps the
 * message (room, event), its mxc:// URL or its EncryptedFile object
 * whole, and is linked as that message (https://matrix.to/#/room/event):
 * an encrypted file stays encrypted, readable by the room's members only.
 *
 * The render functions below are what other views call (the agenda, the
 * minutes, the invitation). */
#ifndef WT_DOCUMENTS_H
#define WT_DOCUMENTS_H

#include "handlers/catalog.h"
#include "handlers/context.h"
#include "lib/strbuf.h"
#include "storage/documents.h"
#include "storage/meetings.h"

/* Append the documents of agenda item item_id (row id), each on a line
 * of its own "\n<indent>- 📎 <link> (stuk 3)" (so they go under an item's
 * other sub-bullets). Returns how many (0: nothing appended), negative on
 * a database error (nothing appended). */
int docs_render_item(struct strbuf *sb, const struct wt_ctx *ctx, long long item_id,
		     const char *indent);
/* The same for the meeting's own documents (not its items'). */
int docs_render_meeting(struct strbuf *sb, const struct wt_ctx *ctx, long long meeting_id,
			const char *indent);
/* Every document of meeting m, what `!stukken` shows below its heading:
 * the meeting's own, then per agenda item (numbered as on the agenda,
 * proposals marked) those of the items that have any. Returns how many,
 * negative on a database error. */
int docs_render_overview(struct strbuf *sb, const struct wt_ctx *ctx, const struct wt_meeting *m);
/* One document as its Markdown link, kind and short id (no bullet). */
void docs_add_line(struct strbuf *sb, const struct wt_ctx *ctx, const struct wt_document *d);

/* A `bijlage:` line's value, "<link> [titel]": WT_OK when it can be
 * attached, else the refusal with synopsis syn. */
int docs_check_link(struct wt_ctx *ctx, const char *value, enum msg_id syn);
/* Attach the (checked) link of value to agenda item item_id (row id), or
 * when that is 0 to meeting meeting_id. WT_OK, or the database error
 * reply. out (may be NULL) gets the new document (its title and url;
 * document_free). */
int docs_attach_link(struct wt_ctx *ctx, long long item_id, long long meeting_id,
		     const char *value, struct wt_document *out);

#endif
