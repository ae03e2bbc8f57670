/* !vergeet @persoon [bevestig] / !forget @person [confirm] (admins): first
 * what would be erased, then, confirmed, the erasure (storage/forget.h). */
#include "handlers/forget.h"

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/names.h"
#include "handlers/person.h"
#include "handlers/reply.h"
#include "lib/log.h"

void forget_describe_removed(struct strbuf *sb, const struct wt_ctx *ctx,
			     const struct forget_counts *c)
{
	const struct { long long n; enum msg_id one; } parts[] = {
		{ c->reminders, M_N_FORGET_REMINDER_ONE },
		{ c->expertise, M_N_FORGET_TOPIC_ONE },
		{ c->roles, M_N_FORGET_ROLE_ONE },
		{ c->rsvps, M_N_FORGET_RSVP_ONE },
		{ c->other, M_N_FORGET_OTHER_ONE },
	};
	struct strbuf words[6];
	const char *items[6];
	size_t n = 0;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		if (!parts[i].n)
			continue;
		sb_init(&words[n]);
		sb_addcount(&words[n], ctx, parts[i].one, parts[i].n);
		items[n] = words[n].buf;
		n++;
	}
	if (c->tz) {
		sb_init(&words[n]);
		sb_add(&words[n], T(ctx, M_FORGET_TZ));
		items[n] = words[n].buf;
		n++;
	}
	if (n == 0)
		sb_add(sb, T(ctx, M_FORGET_NONE_REMOVED));
	else
		sb_addlist(sb, ctx, items, n);
	for (size_t i = 0; i < n; i++)
		sb_release(&words[i]);
}

enum forget_outcome forget_run(struct wt_ctx *ctx, const char *user, const char *person,
			       struct strbuf *sb)
{
	struct strbuf label = STRBUF_INIT, removed = STRBUF_INIT, places = STRBUF_INIT;
	long long num = forget_next_label(ctx->db);
	struct forget_counts c;
	enum forget_outcome out = num < 0 ? FORGET_EDB : FORGET_NOTHING;
	if (num >= 0) {
		sb_addm(&label, ctx, M_FORGET_LABEL, num);
		out = forget_person(ctx->db, user, label.buf, &c);
	}
	if (out == FORGET_NOTHING) {
		sb_addm(sb, ctx, M_FORGET_NOTHING, person);
	} else if (out == FORGET_DONE) {
		forget_describe_removed(&removed, ctx, &c);
		sb_addcount(&places, ctx, M_N_FORGET_PLACE_ONE, c.relabelled);
		sb_addm(sb, ctx, M_FORGET_DONE, person, removed.buf, places.buf, label.buf,
			T(ctx, M_FORGET_NOT_OURS));
		log_info("forgot a person as \"%s\": removed %lld reminders, %lld "
			 "expertise topics, %lld roles, %lld invitation answers, %lld "
			 "time zone, %lld other rows; %lld kept rows relabelled",
			 label.buf, c.reminders, c.expertise, c.roles, c.rsvps, c.tz,
			 c.other, c.relabelled);
	}
	sb_release(&label);
	sb_release(&removed);
	sb_release(&places);
	return out;
}

/* The overview before the erasure: what would go, counted and rolled back. */
static int forget_overview(struct wt_ctx *ctx, const char *user, const char *person)
{
	struct forget_counts c;
	enum forget_outcome out = forget_preview(ctx->db, user, "-", &c);
	if (out == FORGET_EDB)
		return reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (out == FORGET_NOTHING) {
		reply_msgf(ctx, M_FORGET_NOTHING, person);
		return WT_OK;
	}
	struct strbuf removed = STRBUF_INIT, places = STRBUF_INIT;
	forget_describe_removed(&removed, ctx, &c);
	sb_addcount(&places, ctx, M_N_FORGET_PLACE_ONE, c.relabelled);
	reply_msgf(ctx, M_FORGET_PREVIEW, person, removed.buf, places.buf,
		   T(ctx, M_FORGET_NOT_OURS), user);
	sb_release(&removed);
	sb_release(&places);
	return WT_OK;
}

int cmd_forget(struct wt_ctx *ctx, const char *args)
{
	struct strbuf user = STRBUF_INIT, person = STRBUF_INIT, word = STRBUF_INIT;
	const char *p;
	int rc = person_arg(ctx, args, &user, &p, M_SYN_FORGET);
	if (rc == PERSON_NONE) {
		rc = reply_usagef(ctx, WT_EUSAGE, M_SYN_FORGET, M_FORGET_NO_PERSON);
		goto out;
	}
	if (rc != WT_OK)
		goto out;
	sb_add_person(&person, ctx, user.buf);
	const char *rest = args_word(p, &word);
	if (!rest) {
		rc = forget_overview(ctx, user.buf, person.buf);
		goto out;
	}
	if (!args_is(word.buf, "bevestig", "confirm")) {
		rc = reply_usage_text(ctx, WT_EUSAGE, M_SYN_FORGET, M_FORGET_NOT_CONFIRM,
				      word.buf);
		goto out;
	}
	if ((rc = reply_if_extra(ctx, rest)) != WT_OK)
		goto out;
	struct strbuf text = STRBUF_INIT;
	if (forget_run(ctx, user.buf, person.buf, &text) == FORGET_EDB)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	else
		reply_add(ctx, text.buf);
	sb_release(&text);
out:
	sb_release(&user);
	sb_release(&person);
	sb_release(&word);
	return rc;
}
