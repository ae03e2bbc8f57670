/* The COMMANDS section of werktafel(1), generated from the command table
 * and the sub-command tables like !help and the README's reference, so
 * the manual cannot drift from what the bot takes. */
#include <stdlib.h>
#include <string.h>

#include "handlers/commands.h"
#include "handlers/reply.h"
#include "lib/roff.h"

/* The synopsis of row c in ctx's language, or its path when it has none. */
static void man_synopsis(struct strbuf *sb, const struct wt_ctx *ctx,
			 const struct wt_command *c)
{
	struct strbuf syn = STRBUF_INIT;
	if (c->synopsis)
		sb_add(&syn, T(ctx, c->synopsis));
	else
		command_path(&syn, ctx, c);
	roff_add(sb, syn.buf, 0);
	sb_release(&syn);
}

/* "\fB!hulp\fR, \fB!help\fR, \fB!?\fR": every name of c, Dutch first
 * (a sub-command's without the "!"). */
static void man_names(struct strbuf *sb, const struct wt_command *c, int top)
{
	struct strbuf names = STRBUF_INIT;
	const char *bang = top ? "!" : "";
	sb_addf(&names, "`%s%s`", bang, c->name[LANG_NL]);
	if (strcmp(c->name[LANG_NL], c->name[LANG_EN]) != 0)
		sb_addf(&names, ", `%s%s`", bang, c->name[LANG_EN]);
	for (const char *p = c->aliases; p && *p;) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		sb_addf(&names, ", `%s", bang);
		sb_addn(&names, p, len);
		sb_add(&names, "`");
		p = e ? e + 1 : p + len;
	}
	roff_add(sb, names.buf, 0);
	sb_release(&names);
}

/* One .TP entry: the Dutch synopsis as the tag, then the English one,
 * every name, the role and what it does. */
static void man_row(struct strbuf *sb, struct wt_ctx *nl, struct wt_ctx *en,
		    const struct wt_command *c, enum wt_role role, int top)
{
	sb_add(sb, ".TP\n");
	man_synopsis(sb, nl, c);
	sb_add(sb, "\n");
	if (top || strcmp(c->name[LANG_NL], c->name[LANG_EN]) != 0 || c->aliases) {
		sb_add(sb, "English: ");
		man_synopsis(sb, en, c);
		sb_add(sb, "\n.br\n");
	}
	sb_add(sb, "Names: ");
	man_names(sb, c, top);
	sb_add(sb, "\n.br\n");
	sb_add(sb, "Role: ");
	roff_add(sb, role_name(en, role), 0);
	if (strcmp(role_name(en, role), role_name(nl, role)) != 0) {
		sb_add(sb, " (");
		roff_add(sb, role_name(nl, role), 0);
		sb_add(sb, ")");
	}
	sb_add(sb, c->flags & WT_CMD_NETWORK && top ? "; in a network's room.\n" : ".\n");
	if (c->help) {
		/* A help line continues "!x — ..." in !help: a sentence here. */
		char *what = xstrdup(T(en, c->help));
		if (what[0] >= 'a' && what[0] <= 'z')
			what[0] = (char)(what[0] - 'a' + 'A');
		sb_add(sb, ".br\n");
		roff_add(sb, what, 1);
		sb_add(sb, ".\n");
		free(what);
	}
}

/* The rows of c's parts, nested parts after their own (as the README). */
static void man_parts(struct strbuf *sb, struct wt_ctx *nl, struct wt_ctx *en,
		      const struct wt_command *c, enum wt_role role)
{
	size_t depth = nl->cmd_depth;
	if (!c->subs || depth >= sizeof nl->cmd_path / sizeof nl->cmd_path[0])
		return;
	nl->cmd_path[depth] = en->cmd_path[depth] = c;
	nl->cmd_depth = en->cmd_depth = depth + 1;
	for (const struct wt_command *s = c->subs; s->name[0]; s++) {
		if (s->flags & WT_CMD_HIDDEN)
			continue;
		enum wt_role r = s->min_role > role ? s->min_role : role;
		man_row(sb, nl, en, s, r, 0);
		man_parts(sb, nl, en, s, r);
	}
	nl->cmd_depth = en->cmd_depth = depth;
}

void help_man_commands(struct strbuf *sb)
{
	struct wt_ctx nl = { .lang = LANG_NL }, en = { .lang = LANG_EN };
	sb_add(sb, ".SH COMMANDS\n"
		   "People type commands in a room of a network, each on a line of its own "
		   "that starts with \\fB!\\fR. Every command and sub\\-command has a Dutch "
		   "and an English name; either works in any room, and the bot answers in "
		   "the network's language. Each entry shows the Dutch form, then the "
		   "English one, the least role that may use it, and what it does. "
		   "\\fB!hulp\\fR (\\fB!help\\fR) shows the same in the room.\n");
	for (size_t i = 0; i < wt_ncommands; i++) {
		const struct wt_command *c = &wt_commands[i];
		if (c->flags & WT_CMD_HIDDEN)
			continue;
		sb_addf(sb, ".SS !%s", c->name[LANG_NL]);
		if (strcmp(c->name[LANG_NL], c->name[LANG_EN]) != 0)
			sb_addf(sb, " (!%s)", c->name[LANG_EN]);
		sb_add(sb, "\n");
		man_row(sb, &nl, &en, c, c->min_role, 1);
		man_parts(sb, &nl, &en, c, c->min_role);
	}
}
