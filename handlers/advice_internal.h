/* advice_internal: what the files of !advies / !advice share (advice.c:
 * the sub-command words and new requests; advice_flow.c: the steps of the
 * state machine; advice_view.c: lists and history; advice_remind.c:
 * reminders). Not for other command families. */
#ifndef WT_ADVICE_INTERNAL_H
#define WT_ADVICE_INTERNAL_H

#include "handlers/advice_states.h"
#include "handlers/context.h"
#include "lib/strbuf.h"
#include "storage/advice.h"

/* Longest question, why, what, how (characters); drafts may fill a whole
 * message. */
#define ADV_MAX_TEXT 1000
/* Default hour of a deadline given as a date only. */
#define ADV_DEADLINE_HOUR 17
/* Days an asked request may wait for acceptance before the chair hears. */
#define ADV_WAIT_DAYS 14

/* advice_flow.c: the steps, one handler per sub-command row (advice.c's
 * advice_subs): each takes the request named first in its arguments. */
int advice_accept_cmd(struct wt_ctx *ctx, const char *args);
int advice_assign_cmd(struct wt_ctx *ctx, const char *args);
int advice_unassign_cmd(struct wt_ctx *ctx, const char *args);
int advice_draft_cmd(struct wt_ctx *ctx, const char *args);
int advice_deliver_cmd(struct wt_ctx *ctx, const char *args);
int advice_decide_cmd(struct wt_ctx *ctx, const char *args);
int advice_decline_cmd(struct wt_ctx *ctx, const char *args);
int advice_withdraw_cmd(struct wt_ctx *ctx, const char *args);
/* advice_view.c: the open list (closed 0) or the archive (closed 1), with
 * the filters in args ("thema x", "status y"). */
int advice_cmd_list(struct wt_ctx *ctx, const char *args, int closed);
/* advice_view.c: one request with its full history. */
int advice_cmd_show(struct wt_ctx *ctx, const char *word);

/* "A3" for short id 3. */
void advice_ref(struct strbuf *sb, long long short_id);
/* The short id in "A3", "a3", "#3" or "3", or -1. */
long long advice_parse_id(const char *word);
/* Load the request the word names. Adds the error reply (with synopsis syn)
 * and returns negative when the word is missing, no id, or unknown. */
int advice_load(struct wt_ctx *ctx, const char *word, enum msg_id syn,
		struct wt_advice *a);

/* Append "nog 5 dagen", "vandaag", "⚠️ 3 dagen te laat" for a's deadline. */
void advice_days_left(struct strbuf *sb, const struct wt_ctx *ctx, time_t deadline);
/* Append user text that may span lines, escaped, its line breaks kept. */
void advice_add_text(struct strbuf *sb, const char *text);
/* Append "- label: value" lines for a's question, theme, why, what, how
 * (those it has). */
void advice_add_fields(struct strbuf *sb, const struct wt_ctx *ctx,
		       const struct wt_advice *a);
/* 1 when user submitted a or is the board member who asked for it. */
int advice_is_own(const struct wt_advice *a, const char *user);
/* Append the people by name, as pills (handlers/names.h), and address
 * them in r (when r is not NULL): only then do they get a ping. */
void advice_add_users(struct strbuf *sb, const struct wt_ctx *ctx, struct wt_reply *r,
		      char **users, size_t n);

/* The configured theme that word names (case and accents ignored), or
 * NULL; a network without themes takes any word (returns word). */
const char *advice_theme_find(const struct wt_network *net, const char *word);
/* Append the network's themes, comma-separated. */
void advice_theme_list(struct strbuf *sb, const struct wt_network *net);

/* 1 when user may be assigned: an admin, someone with a stored role,
 * someone who listed expertise, or who took part in an advice request of
 * this network. A network with none of these yet has no member list: then
 * any user id counts (*open is set to 1). */
int advice_is_member(struct wt_ctx *ctx, const char *user, int *open);
/* Append the suggestion paragraph (after a blank line when sb is not empty):
 * members whose expertise matches a's theme, title and question, leaving
 * out the current assignees; when nobody matches, say so only if
 * say_none. Returns the number suggested. */
int advice_suggest(struct wt_ctx *ctx, const struct wt_advice *a, struct strbuf *sb,
		   int say_none);

#endif
