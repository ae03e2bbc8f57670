/* reply: the small API handlers use to answer. Every text comes from the
 * catalogue (handlers/catalog.h); user text goes in through sb_add_md. */
#ifndef WT_REPLY_H
#define WT_REPLY_H

#include "handlers/catalog.h"
#include "handlers/commands.h"
#include "handlers/context.h"
#include "lib/strbuf.h"

/* Start a reply to the command (in its room, as a Matrix reply to it) and
 * return its text buffer's owner; finish with reply_send. */
struct wt_reply *reply_add(struct wt_ctx *ctx, const char *markdown);
/* Address user in reply r: they go in m.mentions and r notifies (r->notify),
 * so that person is pinged and nobody else. */
void reply_mention(struct wt_reply *r, const char *user);
/* A direct message of markdown to user, no answer to the command, meant
 * for them: they are mentioned and it notifies (their phone buzzes). */
struct wt_reply *reply_dm(struct wt_ctx *ctx, const char *user, const char *markdown);
/* Add a reply built from a catalogue format. */
struct wt_reply *reply_msgf(struct wt_ctx *ctx, enum msg_id id, ...);
/* Add an error reply (catalogue format) and return code, for
 * `return reply_error(ctx, WT_EUSAGE, M_..., ...)`. */
int reply_error(struct wt_ctx *ctx, int code, enum msg_id id, ...);
/* When the sender's role is below min, add the refusal that names the role
 * needed and return WT_EPERM; else return WT_OK. */
int reply_require_role(struct wt_ctx *ctx, enum wt_role min);
/* The same for what a person may do to their own things or as the
 * object's lead (own reminder, own advice request, the action line's
 * project lead): WT_OK when allowed or the role is min or higher, else the
 * refusal and WT_EPERM. The sub-command's row says the role anyone needs;
 * this is the object's rule on top of it. The refusal is the catalogue
 * format refusal with its arguments, which should say who else may (the
 * owner, the team); M_NONE: the general one naming min. */
int reply_require_role_unless(struct wt_ctx *ctx, enum wt_role min, int allowed,
			      enum msg_id refusal, ...);
/* Add the "this is how to write it" error with a command synopsis. */
int reply_usage(struct wt_ctx *ctx, enum msg_id problem, enum msg_id synopsis);
/* The same error with the problem as built Markdown; returns code. */
int reply_usage_md(struct wt_ctx *ctx, int code, enum msg_id synopsis, const char *problem);
/* ... with the problem from a catalogue format and its arguments. */
int reply_usagef(struct wt_ctx *ctx, int code, enum msg_id synopsis, enum msg_id problem, ...);
/* ... with one piece of user text (escaped) as the format's only %s. */
int reply_usage_text(struct wt_ctx *ctx, int code, enum msg_id synopsis,
		     enum msg_id problem, const char *text);
/* The role's name in the context's language. */
const char *role_name(const struct wt_ctx *ctx, enum wt_role role);
/* Add a ✅-style reaction to the command's event. */
void reply_react(struct wt_ctx *ctx, const char *key);

/* Catalogue text in the context's language. */
const char *T(const struct wt_ctx *ctx, enum msg_id id);
/* Append a catalogue format in the context's language. */
void sb_addm(struct strbuf *sb, const struct wt_ctx *ctx, enum msg_id id, ...);
/* Append the counted phrase of pair one (M_N_..._ONE, see catalog.h) for n,
 * e.g. "1 punt" or "3 punten". */
void sb_addcount(struct strbuf *sb, const struct wt_ctx *ctx, enum msg_id one, long long n);
/* Append the n items as a list in words: "a", "a en b", "a, b en c". */
void sb_addlist(struct strbuf *sb, const struct wt_ctx *ctx, const char *const *items, size_t n);

/* The shared refusals, each with the synopsis of the command row that
 * runs (ctx->cmd) and WT_EUSAGE; WT_OK when there is nothing to refuse.
 * reply_if_extra: anything but blanks and empty lines left at p ("nothing
 * may follow"). reply_if_too_long: value longer than max characters (field
 * names it: M_FIELD_TITLE, ...). */
int reply_if_extra(struct wt_ctx *ctx, const char *p);
int reply_if_too_long(struct wt_ctx *ctx, enum msg_id field, const char *value, size_t max);
/* A field line of keys[0..n) without a value ("budget:" alone) in the lines
 * of text: refused with syn. */
struct args_key;
int reply_if_empty_field(struct wt_ctx *ctx, const char *text, const struct args_key *keys,
			 size_t n, enum msg_id syn);

/* Person's text escaped for Markdown (sb_add_md), owned by ctx: valid until
 * the command's dispatch ends, so a handler needs no buffer per field. */
const char *ctx_md(struct wt_ctx *ctx, const char *text);
/* Free what ctx owns beyond its first keep strings (wt_dispatch does it
 * after each command; a caller that fills a ctx by hand calls it with 0). */
void ctx_release_owned(struct wt_ctx *ctx, size_t keep);

#endif
