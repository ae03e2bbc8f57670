/* !help / !hulp: generated from the command table. */
#include <string.h>

#include "handlers/args.h"
#include "handlers/commands.h"
#include "handlers/reply.h"

/* The other names of c (the other language and aliases) for one line. */
static void other_names(struct strbuf *sb, const struct wt_ctx *ctx,
			const struct wt_command *c)
{
	const char *mine = c->name[ctx->lang];
	const char *other = c->name[!ctx->lang];
	if (strcmp(mine, other) != 0)
		sb_addf(sb, "`!%s`", other);
	for (const char *p = c->aliases; p && *p;) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (sb->len)
			sb_add(sb, ", ");
		sb_add(sb, "`!");
		sb_addn(sb, p, len);
		sb_add(sb, "`");
		p = e ? e + 1 : p + len;
	}
	if (!sb->len)
		sb_add(sb, "—");
}

int cmd_help(struct wt_ctx *ctx, const char *args)
{
	struct strbuf word = STRBUF_INIT, sb = STRBUF_INIT;
	if (args_word(args, &word)) {
		const char *w = word.buf[0] == '!' ? word.buf + 1 : word.buf;
		const struct wt_command *c = command_find(w);
		if (!c) {
			struct strbuf esc = STRBUF_INIT;
			sb_add_md(&esc, w);
			int rc = reply_error(ctx, WT_ENOTFOUND, M_HELP_UNKNOWN, esc.buf);
			sb_release(&esc);
			sb_release(&word);
			return rc;
		}
		struct strbuf others = STRBUF_INIT;
		other_names(&others, ctx, c);
		sb_addm(&sb, ctx, M_HELP_ONE, c->name[ctx->lang], T(ctx, c->help),
			T(ctx, c->synopsis), role_name(ctx, c->min_role), others.buf);
		sb_release(&others);
	} else {
		sb_addm(&sb, ctx, M_HELP_HEADER, role_name(ctx, ctx->role));
		sb_add(&sb, "\n\n");
		for (size_t i = 0; i < wt_ncommands; i++) {
			const struct wt_command *c = &wt_commands[i];
			if (ctx->role < c->min_role)
				continue;
			sb_addf(&sb, "- `!%s` — %s\n", c->name[ctx->lang], T(ctx, c->help));
		}
		sb_add(&sb, "\n");
		sb_add(&sb, T(ctx, M_HELP_FOOTER));
	}
	reply_add(ctx, sb.buf);
	sb_release(&sb);
	sb_release(&word);
	return WT_OK;
}

/* Append s with every '|' escaped, for a Markdown table cell. */
static void add_cell(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			sb_addc(sb, '\\');
		sb_addc(sb, *s);
	}
}

/* The command reference for the README: one table row per command, Dutch and
 * English synopsis, minimum role and help. */
void help_reference(struct strbuf *sb)
{
	struct wt_ctx nl = { .lang = LANG_NL }, en = { .lang = LANG_EN };
	sb_add(sb, "| command | minimum role | what it does |\n|---|---|---|\n");
	for (size_t i = 0; i < wt_ncommands; i++) {
		const struct wt_command *c = &wt_commands[i];
		sb_add(sb, "| ");
		add_cell(sb, T(&nl, c->synopsis));
		sb_add(sb, "<br>");
		add_cell(sb, T(&en, c->synopsis));
		sb_addf(sb, " | %s | %s |\n", role_name(&en, c->min_role), T(&en, c->help));
	}
}
