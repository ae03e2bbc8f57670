/* !doel wijzig / !goal edit: change one field of a goal (the secretary
 * and up).
 *
 *   !doel wijzig <nr> titel|doel|eenheid|periode|eigenaar|meetfrequentie <waarde>
 *
 * The value is read as the same line of `!doel nieuw` is read; `eigenaar
 * geen` and `meetfrequentie geen` take them away. A new owner or frequency
 * moves the reminders (the reminder_dirty triggers on goals). */
#include <stdlib.h>
#include <string.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/goals.h"
#include "handlers/reply.h"

/* The fields, by their names in both languages; the Dutch one is the form
 * line goal_read_fields and goal_read_owner_freq read. */
enum goal_field { GF_TITLE, GF_TARGET, GF_UNIT, GF_PERIOD, GF_OWNER, GF_FREQ };
static const struct { const char *nl, *en; enum goal_field f; } fields[] = {
	{ "titel", "title", GF_TITLE }, { "doel", "target", GF_TARGET },
	{ "eenheid", "unit", GF_UNIT }, { "periode", "period", GF_PERIOD },
	{ "eigenaar", "owner", GF_OWNER }, { "meetfrequentie", "frequency", GF_FREQ },
};

/* Set field i of e from value (the buffers hold what e points to). */
static int set_field(struct wt_ctx *ctx, struct goal *e, size_t i, const char *value,
		     struct strbuf *buf, struct strbuf *buf2)
{
	if (fields[i].f == GF_TITLE) {
		sb_add(buf, value);
		e->title = buf->buf;
		return reply_if_too_long(ctx, M_FIELD_TITLE, value, WT_MAX_FIELD);
	}
	int none = args_is(value, "geen", "none");
	if (fields[i].f == GF_OWNER && none) {
		e->owner = NULL;
		return WT_OK;
	}
	if ((fields[i].f == GF_UNIT || fields[i].f == GF_PERIOD) && none) {
		*(fields[i].f == GF_UNIT ? &e->unit : &e->period) = NULL;
		return WT_OK;
	}
	struct strbuf line = STRBUF_INIT;
	sb_addf(&line, "%s: %s", fields[i].nl, value);
	int rc;
	if (fields[i].f == GF_OWNER || fields[i].f == GF_FREQ)
		rc = goal_read_owner_freq(ctx, line.buf, e, buf, M_GOAL_SYN_EDIT);
	else
		rc = goal_read_fields(ctx, line.buf, e, buf, buf2, M_GOAL_SYN_EDIT);
	sb_release(&line);
	return rc;
}

int goal_cmd_edit(struct wt_ctx *ctx, const char *args)
{
	struct goal g;
	int rc = WT_OK;
	const char *p = goal_read(ctx, args, M_GOAL_SYN_EDIT, &g, &rc);
	if (!p)
		return rc;
	struct strbuf w = STRBUF_INIT, value = STRBUF_INIT, buf = STRBUF_INIT, buf2 = STRBUF_INIT;
	const char *q = args_word(p, &w);
	size_t i = 0;
	while (q && i < sizeof fields / sizeof fields[0] && !args_is(w.buf, fields[i].nl, fields[i].en))
		i++;
	if (!q || i == sizeof fields / sizeof fields[0])
		rc = reply_usagef(ctx, WT_EUSAGE, M_GOAL_SYN_EDIT, M_GOAL_EDIT_FIELD);
	if (rc == WT_OK) {
		args_line(q, &value);
		if (!value.len)
			rc = reply_usagef(ctx, WT_EUSAGE, M_GOAL_SYN_EDIT, M_GOAL_NEED_VALUE);
	}
	struct goal e = g;
	if (rc == WT_OK)
		rc = set_field(ctx, &e, i, value.buf, &buf, &buf2);
	if (rc == WT_OK && e.freq && !e.owner)
		rc = reply_usagef(ctx, WT_EUSAGE, M_GOAL_SYN_EDIT, M_GOAL_FREQ_NO_OWNER);
	if (rc == WT_OK && goal_update(ctx->db, &e) < 0)
		rc = reply_error(ctx, WT_EDB, M_DB_ERROR);
	if (rc == WT_OK) {
		struct strbuf t = STRBUF_INIT;
		sb_add_md(&t, e.title);
		reply_msgf(ctx, M_GOAL_EDITED, g.short_id, t.buf, g.short_id);
		sb_release(&t);
	}
	sb_release(&w);
	sb_release(&value);
	sb_release(&buf);
	sb_release(&buf2);
	goal_free(&g);
	return rc;
}
