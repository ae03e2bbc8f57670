/* dispatch: from a message body to a command handler, with the checks every
 * command shares (UTF-8, length, role) and the savepoint that makes a
 * refused command change nothing. */
#include "handlers/dispatch.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/meeting_mode.h"
#include "handlers/person.h"
#include "handlers/reminder_kinds.h"
#include "handlers/reply.h"
#include "lib/textdist.h"
#include "storage/db.h"
#include "storage/list_pages.h"
#include "storage/roles.h"
#include "storage/room_members.h"
#include "storage/room_power.h"

enum wt_role wt_role_of(sqlite3 *db, const struct wt_network *net,
			const char *const *admins, const char *user)
{
	for (size_t i = 0; admins && admins[i]; i++)
		if (strcmp(admins[i], user) == 0)
			return ROLE_ADMIN;
	int r = net ? roles_get(db, net->name, user) : 0;
	if (r >= ROLE_MEMBER && r <= ROLE_CHAIR)
		return (enum wt_role)r;
	long long level = net ? room_power_in_network(db, net->name, user) : -1;
	return level >= WT_POWER_CHAIR ? ROLE_CHAIR
	       : level >= WT_POWER_SECRETARY ? ROLE_SECRETARY : ROLE_MEMBER;
}

/* Whether the sender may reach the network's data from this room: config
 * admins always; otherwise by current membership of one of the network's
 * rooms (a command typed in such a room proves it; in a direct chat the
 * member lists of the network's rooms decide). Refuses with a reply that
 * says why; WT_OK when allowed. */
static int check_access(struct wt_ctx *ctx)
{
	if (!ctx->net || ctx->role == ROLE_ADMIN)
		return WT_OK;
	for (size_t i = 0; i < ctx->net->nrooms; i++)
		if (ctx->room && strcmp(ctx->net->rooms[i], ctx->room) == 0)
			return WT_OK;
	int rc = room_members_access(ctx->db, ctx->net->name, ctx->room, ctx->sender);
	if (rc == ROOM_ACCESS_YES)
		return WT_OK;
	struct strbuf name = STRBUF_INIT;
	sb_add_md(&name, ctx->net->name);
	rc = rc < 0 ? reply_error(ctx, WT_EDB, M_DB_ERROR)
	     : rc == ROOM_ACCESS_UNKNOWN ? reply_error(ctx, WT_EPERM, M_ACCESS_UNKNOWN, name.buf)
	     : reply_error(ctx, WT_EPERM, M_ACCESS_NOT_MEMBER, name.buf);
	sb_release(&name);
	return rc;
}

/* Reply to an unknown command with up to three close names, in the
 * sender's language first; by the network's unknown_commands setting,
 * only when there is a close name (suggest) or never (silent): then the
 * message was not for the bot. */
static int unknown_command(struct wt_ctx *ctx, const char *word)
{
	int mode = ctx->net ? ctx->net->unknown_commands : WT_UNKNOWN_ANSWER;
	if (mode == WT_UNKNOWN_SILENT)
		return WT_NOT_COMMAND;
	const char *best[3] = { NULL, NULL, NULL };
	size_t bestd[3] = { 99, 99, 99 };
	size_t limit = strlen(word) <= 4 ? 1 : 2;
	for (size_t i = 0; i < wt_ncommands; i++) {
		if (wt_commands[i].flags & WT_CMD_NO_SUGGEST)
			continue;
		for (int l = 0; l < WT_NLANGS; l++) {
			const char *name = wt_commands[i].name[l == 0 ? ctx->lang : !ctx->lang];
			size_t d = text_distance(word, name);
			if (strncasecmp(name, word, strlen(word)) == 0 && strlen(word) >= 2)
				d = d < 1 ? d : 1;
			if (d > limit)
				continue;
			int dup = 0;
			for (int k = 0; k < 3; k++)
				dup |= best[k] && strcmp(best[k], name) == 0;
			for (int k = 0; k < 3 && !dup; k++) {
				if (d < bestd[k]) {
					for (int m = 2; m > k; m--) {
						best[m] = best[m - 1];
						bestd[m] = bestd[m - 1];
					}
					best[k] = name;
					bestd[k] = d;
					break;
				}
			}
		}
	}
	struct strbuf w = STRBUF_INIT, hint = STRBUF_INIT;
	sb_add_md(&w, word);
	for (int k = 0; k < 3 && best[k]; k++) {
		if (k)
			sb_addf(&hint, k == 2 || !best[k + 1] ? " %s " : ", ", T(ctx, M_OR));
		sb_addf(&hint, "`!%s`", best[k]);
	}
	int rc = hint.len ? reply_error(ctx, WT_EUSAGE, M_UNKNOWN_COMMAND, w.buf, hint.buf)
		 : mode == WT_UNKNOWN_SUGGEST ? WT_NOT_COMMAND
		 : reply_error(ctx, WT_EUSAGE, M_UNKNOWN_COMMAND_NOHINT, w.buf);
	sb_release(&w);
	sb_release(&hint);
	return rc;
}

/* A list was shown in pages: remember it for `!meer` (the command, its
 * arguments without the page request, the next page or that it is at its
 * end). */
static int note_page(struct wt_ctx *ctx, const struct wt_command *cmd,
		     const char *args)
{
	if (!ctx->room || !ctx->sender)
		return 0;
	long next = ctx->page_next > 0 ? ctx->page_next : 0, page;
	struct strbuf rest = STRBUF_INIT;
	int rc = args_take_page(args, &rest, &page) < 0 ? 0
		 : list_pages_set(ctx->db, ctx->room, ctx->sender, cmd->name[LANG_NL],
				  args_skip_blank(rest.buf), next, (long long)ctx->now);
	sb_release(&rest);
	return rc;
}

/* Free the replies after the first keep of out. */
static void drop_replies(struct wt_replies *out, size_t keep)
{
	if (out->n <= keep)
		return;
	struct wt_replies tail = { .n = out->n - keep, .cap = out->n - keep };
	tail.v = xmalloc(tail.n * sizeof *tail.v);
	memcpy(tail.v, out->v + keep, tail.n * sizeof *tail.v);
	out->n = keep;
	wt_replies_free(&tail);
}

int wt_dispatch(struct wt_ctx *ctx, const char *body)
{
	const char *p = body;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p != '!' || !p[1] || isspace((unsigned char)p[1]) || p[1] == '!')
		return WT_NOT_COMMAND;
	size_t len = strlen(body);
	ctx->role = wt_role_of(ctx->db, ctx->net, ctx->admins, ctx->sender);
	if (!utf8_valid(body, len))
		return reply_error(ctx, WT_EUSAGE, M_BAD_UTF8);
	if (len > WT_MAX_MESSAGE)
		return reply_error(ctx, WT_EUSAGE, M_TOO_LONG, len, WT_MAX_MESSAGE);
	if (check_access(ctx) != WT_OK)
		return WT_EPERM;

	struct strbuf word = STRBUF_INIT;
	const char *rest = args_word(p + 1, &word);
	const struct wt_command *cmd = command_find(word.buf);
	if (!cmd) {
		int rc = unknown_command(ctx, word.buf);
		sb_release(&word);
		return rc;
	}
	sb_release(&word);
	rest = args_skip_blank(rest);
	if (db_savepoint(ctx->db, "wt_cmd") < 0)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	size_t before = ctx->out->n, owned = ctx->nowned;
	ctx->cmd_depth = 0;
	int rc = command_run(ctx, cmd, rest);
	ctx_release_owned(ctx, owned);
	/* What the command changed beyond itself, in its transaction: the
	 * list it showed in pages (for `!meer`), the reminders of what it
	 * changed. When that fails the command did not happen: its replies
	 * go. */
	int after = rc < 0 ? 0
		    : ctx->page_next != 0 && note_page(ctx, cmd, rest) < 0 ? -1
		    : reminder_regen_dirty(ctx);
	ctx->page_next = 0;
	if (after < 0) {
		db_rollback_to(ctx->db, "wt_cmd");
		drop_replies(ctx->out, before);
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	if (rc < 0) {
		db_rollback_to(ctx->db, "wt_cmd");
	} else if (db_release(ctx->db, "wt_cmd") < 0) {
		db_rollback_to(ctx->db, "wt_cmd");
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	}
	return rc < 0 ? rc : WT_OK;
}

int wt_dispatch_message(struct wt_ctx *ctx, const char *body)
{
	/* A person picked from a client's list (a pill) is read as their id. */
	char *named = person_body_dup(ctx->mentions, body);
	if (named)
		body = named;
	mm_note_speaker(ctx);
	int rc = wt_dispatch(ctx, body);
	if (rc == WT_NOT_COMMAND) {
		size_t owned = ctx->nowned;  /* what ctx_md kept, as for a command */
		rc = mm_log_message(ctx, body);
		ctx_release_owned(ctx, owned);
	}
	free(named);
	return rc;
}
