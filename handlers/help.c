/* !help / !hulp: generated from the command table. */
#include <string.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/reply.h"

/* The other names of c (the other language and aliases) for one line. */
static void other_names(struct strbuf *sb, const struct wt_ctx *ctx,
			const struct wt_command *c)
{
	const char *mine = c->name[ctx->lang] ? c->name[ctx->lang] : c->name[0];
	const char *other = c->name[!ctx->lang] ? c->name[!ctx->lang] : c->name[0];
	const char *bang = ctx->cmd_depth > 1 ? "" : "!";
	if (strcmp(mine, other) != 0)
		sb_addf(sb, "`%s%s`", bang, other);
	for (const char *p = c->aliases; p && *p;) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (sb->len)
			sb_add(sb, ", ");
		sb_addf(sb, "`%s", bang);
		sb_addn(sb, p, len);
		sb_add(sb, "`");
		p = e ? e + 1 : p + len;
	}
	if (!sb->len)
		sb_add(sb, "—");
}

/* The synopsis of row c, or its path when it has none. */
static void add_synopsis(struct strbuf *sb, const struct wt_ctx *ctx, const struct wt_command *c)
{
	if (c->synopsis)
		sb_add(sb, T(ctx, c->synopsis));
	else
		command_path(sb, ctx, c);
}

/* Each sub-command of c with the role it needs, one line each. */
static void add_subs(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_command *c)
{
	if (!c->subs)
		return;
	sb_add(sb, "\n\n");
	sb_add(sb, T(ctx, M_HELP_SUBS));
	for (const struct wt_command *s = c->subs; s->name[0]; s++) {
		if (s->flags & WT_CMD_HIDDEN)
			continue;
		struct strbuf syn = STRBUF_INIT;
		add_synopsis(&syn, ctx, s);
		sb_add(sb, "\n");
		sb_addm(sb, ctx, M_HELP_SUB_LINE, syn.buf,
			role_name(ctx, s->min_role > c->min_role ? s->min_role : c->min_role));
		sb_release(&syn);
	}
}

/* !hulp <commando> [<onderdeel>]: one command, or one of its parts. */
static int help_one(struct wt_ctx *ctx, const char *args, struct strbuf *sb)
{
	struct strbuf word = STRBUF_INIT;
	const char *rest = args_word(args, &word);
	const char *w = word.buf[0] == '!' ? word.buf + 1 : word.buf;
	const struct wt_command *c = command_find(w);
	int rc = WT_OK;
	if (!c) {
		struct strbuf esc = STRBUF_INIT;
		sb_add_md(&esc, w);
		rc = reply_error(ctx, WT_ENOTFOUND, M_HELP_UNKNOWN, esc.buf);
		sb_release(&esc);
		sb_release(&word);
		return rc;
	}
	ctx->cmd_path[0] = c;
	ctx->cmd_depth = 1;
	enum wt_role role = c->min_role;
	/* Down the parts named after the command, as far as they go. */
	while (rest && c->subs && args_word(rest, &word)) {
		const struct wt_command *s = subcommand_find(c, word.buf);
		if (!s) {
			ctx->cmd = c;
			rc = reply_unknown_sub(ctx, word.buf);
			sb_release(&word);
			return rc;
		}
		rest = args_word(rest, &word);
		c = s;
		if (c->min_role > role)
			role = c->min_role;
		if (ctx->cmd_depth < sizeof ctx->cmd_path / sizeof ctx->cmd_path[0])
			ctx->cmd_path[ctx->cmd_depth++] = c;
	}
	sb_release(&word);
	struct strbuf others = STRBUF_INIT, syn = STRBUF_INIT, path = STRBUF_INIT;
	other_names(&others, ctx, c);
	add_synopsis(&syn, ctx, c);
	command_path(&path, ctx, c);
	/* The path without its backquotes and "!", as the heading shows it. */
	path.buf[path.len - 1] = 0;
	sb_addm(sb, ctx, M_HELP_COMMAND, path.buf + 2, c->help ? T(ctx, c->help) : "",
		syn.buf, role_name(ctx, role), others.buf);
	add_subs(sb, ctx, c);
	sb_release(&others);
	sb_release(&syn);
	sb_release(&path);
	return rc;
}

int cmd_help(struct wt_ctx *ctx, const char *args)
{
	struct strbuf sb = STRBUF_INIT;
	if (*args_skip_blank(args)) {
		int rc = help_one(ctx, args, &sb);
		if (rc != WT_OK) {
			sb_release(&sb);
			return rc;
		}
	} else {
		sb_addm(&sb, ctx, M_HELP_HEADER, role_name(ctx, ctx->role));
		sb_add(&sb, "\n\n");
		for (size_t i = 0; i < wt_ncommands; i++) {
			const struct wt_command *c = &wt_commands[i];
			if (ctx->role < c->min_role || (c->flags & WT_CMD_HIDDEN))
				continue;
			sb_addf(&sb, "- `!%s` — %s\n", c->name[ctx->lang], T(ctx, c->help));
		}
		sb_add(&sb, "\n");
		sb_add(&sb, T(ctx, M_HELP_FOOTER));
	}
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	return WT_OK;
}

/* Append s with every '|' escaped, for a Markdown table cell. */
static void add_cell(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n') {
			sb_addc(sb, ' ');
			continue;
		}
		if (*s == '|')
			sb_addc(sb, '\\');
		sb_addc(sb, *s);
	}
}

/* One reference row: synopsis in both languages, role, what it does. */
static void reference_row(struct strbuf *sb, struct wt_ctx *nl, struct wt_ctx *en,
			  const struct wt_command *c, enum wt_role role, const char *what)
{
	struct strbuf syn = STRBUF_INIT;
	sb_add(sb, "| ");
	add_synopsis(&syn, nl, c);
	add_cell(sb, syn.buf);
	sb_add(sb, "<br>");
	sb_reset(&syn);
	add_synopsis(&syn, en, c);
	add_cell(sb, syn.buf);
	sb_addf(sb, " | %s | %s |\n", role_name(en, role), what);
	sb_release(&syn);
}

/* The reference rows of c's parts, and theirs below them; role is the
 * least role of the level above (a part needs at least that). */
static void reference_parts(struct strbuf *sb, struct wt_ctx *nl, struct wt_ctx *en,
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
		struct strbuf what = STRBUF_INIT;
		if (s->help)
			sb_add(&what, T(en, s->help));
		else
			sb_addf(&what, "part of `!%s`", nl->cmd_path[0]->name[LANG_EN]);
		reference_row(sb, nl, en, s, r, what.buf);
		sb_release(&what);
		reference_parts(sb, nl, en, s, r);
	}
	nl->cmd_depth = en->cmd_depth = depth;
}

/* The command reference for the README: one table row per command, Dutch and
 * English synopsis, minimum role and help, then one per part, nested parts
 * after their own. */
void help_reference(struct strbuf *sb)
{
	struct wt_ctx nl = { .lang = LANG_NL }, en = { .lang = LANG_EN };
	sb_add(sb, "| command | minimum role | what it does |\n|---|---|---|\n");
	for (size_t i = 0; i < wt_ncommands; i++) {
		const struct wt_command *c = &wt_commands[i];
		if (c->flags & WT_CMD_HIDDEN)
			continue;
		reference_row(sb, &nl, &en, c, c->min_role, T(&en, c->help));
		reference_parts(sb, &nl, &en, c, c->min_role);
	}
}
