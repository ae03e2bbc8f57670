/* The command table. Keep it sorted as !help shows it: everyday commands
 * first. */
#include "handlers/commands.h"

#include <string.h>
#include <strings.h>

#include "handlers/args.h"
#include "handlers/reply.h"
#include "lib/textdist.h"

const struct wt_command wt_commands[] = {
	{ { "hulp", "help" }, "?", ROLE_MEMBER, M_SYN_HELP, M_HELP_HELP, cmd_help, 0, NULL },
	{ { "agenda", "agenda" }, NULL, ROLE_MEMBER, M_SYN_AGENDA, M_HELP_AGENDA, cmd_agenda,
	  WT_CMD_NETWORK | WT_CMD_TAKES_WORD, agenda_subs },
	{ { "vergadering", "meeting" }, "vg", ROLE_MEMBER, M_SYN_MEETING, M_HELP_MEETING, cmd_meeting,
	  WT_CMD_NETWORK | WT_CMD_TAKES_WORD, meeting_subs },
	{ { "punt", "item" }, NULL, ROLE_SECRETARY, M_SYN_ITEM, M_HELP_ITEM, cmd_item,
	  WT_CMD_NETWORK | WT_CMD_TAKES_WORD, item_subs },
	{ { "besluit", "decision" }, "agreed", ROLE_MEMBER, M_SYN_DECISION, M_HELP_DECISION, cmd_decision,
	  WT_CMD_NETWORK, NULL },
	{ { "voorstel", "proposal" }, "voorstellen proposals", ROLE_MEMBER, M_SYN_PROPOSAL,
	  M_HELP_PROPOSAL, cmd_proposal, WT_CMD_NETWORK | WT_CMD_TAKES_WORD, proposal_subs },
	{ { "besluiten", "decisions" }, "register", ROLE_MEMBER, M_SYN_DECISIONS, M_HELP_DECISIONS,
	  cmd_decisions, WT_CMD_NETWORK, NULL },
	{ { "actie", "action" }, NULL, ROLE_MEMBER, M_SYN_ACTION, M_HELP_ACTION, cmd_action,
	  WT_CMD_NETWORK | WT_CMD_TAKES_WORD, action_subs },
	{ { "acties", "actions" }, NULL, ROLE_MEMBER, M_SYN_ACTIONS, M_HELP_ACTIONS, cmd_actions,
	  WT_CMD_NETWORK, NULL },
	{ { "stuk", "document" }, NULL, ROLE_MEMBER, M_SYN_DOC, M_HELP_DOC, cmd_document,
	  WT_CMD_NETWORK | WT_CMD_TAKES_WORD, doc_subs },
	{ { "stukken", "documents" }, NULL, ROLE_MEMBER, M_SYN_DOCS, M_HELP_DOCS, cmd_documents,
	  WT_CMD_NETWORK, NULL },
	{ { "peiling", "poll" }, NULL, ROLE_MEMBER, M_SYN_POLL, M_HELP_POLL, cmd_poll,
	  WT_CMD_NETWORK | WT_CMD_TAKES_WORD, poll_subs },
	{ { "peilingen", "polls" }, NULL, ROLE_MEMBER, M_SYN_POLLS, M_HELP_POLLS, cmd_polls,
	  WT_CMD_NETWORK, NULL },
	{ { "evaluatie", "evaluation" }, NULL, ROLE_MEMBER, M_SYN_EVAL, M_HELP_EVAL, cmd_evaluation,
	  WT_CMD_NETWORK | WT_CMD_TAKES_WORD, eval_subs },
	{ { "bord", "board" }, NULL, ROLE_MEMBER, M_SYN_BOARD, M_HELP_BOARD, cmd_board,
	  WT_CMD_NETWORK, board_subs },
	{ { "notulen", "minutes" }, NULL, ROLE_MEMBER, M_SYN_MINUTES, M_HELP_MINUTES, cmd_minutes,
	  WT_CMD_NETWORK | WT_CMD_TAKES_WORD, minutes_subs },
	{ { "aanwezig", "present" }, "aanmelden", ROLE_MEMBER, M_SYN_PRESENT, M_HELP_PRESENT,
	  cmd_present, WT_CMD_NETWORK, NULL },
	{ { "afmelden", "apologies" }, "afwezig absent", ROLE_MEMBER, M_SYN_APOLOGIES,
	  M_HELP_APOLOGIES, cmd_apologies, WT_CMD_NETWORK, NULL },
	{ { "aanmeldingen", "attendance" }, "rsvp", ROLE_MEMBER, M_SYN_ATTENDANCE, M_HELP_ATTENDANCE,
	  cmd_attendance, WT_CMD_NETWORK, NULL },
	{ { "terugkoppeling", "feedback" }, NULL, ROLE_SECRETARY, M_SYN_FEEDBACK, M_HELP_FEEDBACK,
	  cmd_feedback, WT_CMD_NETWORK, NULL },
	{ { "ongedaan", "undo" }, NULL, ROLE_MEMBER, M_SYN_UNDO, M_HELP_UNDO, cmd_undo, WT_CMD_NETWORK, NULL },
	{ { "meer", "more" }, NULL, ROLE_MEMBER, M_SYN_MORE, M_HELP_MORE, cmd_more, WT_CMD_NO_SUGGEST, NULL },
	{ { "actielijn", "actionline" }, "al actielijnen actionlines", ROLE_MEMBER, M_SYN_ACTIONLINE, M_HELP_ACTIONLINE, cmd_actionline,
	  WT_CMD_NETWORK | WT_CMD_TAKES_WORD, al_subs },
	{ { "belanghebbenden", "stakeholders" }, "belanghebbende stakeholder", ROLE_MEMBER,
	  M_SYN_STAKEHOLDERS, M_HELP_STAKEHOLDERS, cmd_stakeholders,
	  WT_CMD_NETWORK | WT_CMD_TAKES_WORD, stakeholder_subs },
	{ { "doel", "goal" }, "doelen goals", ROLE_MEMBER, M_SYN_GOAL, M_HELP_GOAL, cmd_goal,
	  WT_CMD_NETWORK | WT_CMD_TAKES_WORD, goal_subs },
	{ { "programma", "programme" }, "program", ROLE_MEMBER, M_SYN_PROGRAMME, M_HELP_PROGRAMME, cmd_programme,
	  WT_CMD_NETWORK, NULL },
	{ { "rapport", "report" }, "rapportages reports", ROLE_MEMBER, M_SYN_REPORT, M_HELP_REPORT,
	  cmd_report, WT_CMD_NETWORK | WT_CMD_TAKES_WORD, report_subs },
	{ { "herinner", "remind" }, NULL, ROLE_MEMBER, M_SYN_REMIND, M_HELP_REMIND, cmd_remind,
	  WT_CMD_NETWORK | WT_CMD_TAKES_WORD, remind_subs },
	{ { "herinneringen", "reminders" }, NULL, ROLE_MEMBER, M_SYN_REMINDERS, M_HELP_REMINDERS, cmd_reminders,
	  WT_CMD_NETWORK | WT_CMD_TAKES_WORD, reminders_subs },
	{ { "tijdzone", "timezone" }, "tz", ROLE_MEMBER, M_SYN_TIMEZONE, M_HELP_TIMEZONE, cmd_timezone,
	  WT_CMD_NETWORK | WT_CMD_TAKES_WORD, timezone_subs },
	{ { "advies", "advice" }, "adviezen", ROLE_MEMBER, M_SYN_ADVICE, M_HELP_ADVICE, cmd_advice,
	  WT_CMD_NETWORK | WT_CMD_TAKES_WORD, advice_subs },
	{ { "expertise", "expertise" }, NULL, ROLE_MEMBER, M_SYN_EXPERTISE, M_HELP_EXPERTISE, cmd_expertise,
	  WT_CMD_NETWORK | WT_CMD_TAKES_WORD, expertise_subs },
	{ { "organisatie", "organisation" }, "organization org", ROLE_MEMBER, M_SYN_ORG, M_HELP_ORG,
	  cmd_organisation, WT_CMD_NETWORK | WT_CMD_TAKES_WORD, org_subs },
	{ { "rooster", "rota" }, "roulatieschema rotation", ROLE_MEMBER, M_SYN_ROTA, M_HELP_ROTA,
	  cmd_rota, WT_CMD_NETWORK | WT_CMD_TAKES_WORD, rota_subs },
	{ { "orgaan", "body" }, "organen bodies", ROLE_MEMBER, M_SYN_BODY, M_HELP_BODY, cmd_body,
	  WT_CMD_NETWORK | WT_CMD_TAKES_WORD, body_subs },
	{ { "wie", "who" }, NULL, ROLE_MEMBER, M_SYN_WHO, M_HELP_WHO, cmd_who, WT_CMD_NETWORK, NULL },
	{ { "rol", "role" }, "rollen roles", ROLE_MEMBER, M_SYN_ROLE, M_HELP_ROLE, cmd_role,
	  WT_CMD_NETWORK, NULL },
	{ { "export", "export" }, "exporteer", ROLE_CHAIR, M_SYN_EXPORT, M_HELP_EXPORT, cmd_export,
	  WT_CMD_NETWORK, NULL },
	{ { "vergeet", "forget" }, NULL, ROLE_ADMIN, M_SYN_FORGET, M_HELP_FORGET, cmd_forget,
	  0, NULL },
};

const size_t wt_ncommands = sizeof wt_commands / sizeof wt_commands[0];

/* 1 when word is one of the space-separated names in list. */
static int in_list(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && strncasecmp(p, word, n) == 0)
			return 1;
		p = e ? e + 1 : p + len;
	}
	return 0;
}

const struct wt_command *command_find(const char *word)
{
	for (size_t i = 0; i < wt_ncommands; i++) {
		const struct wt_command *c = &wt_commands[i];
		if (strcasecmp(c->name[0], word) == 0 || strcasecmp(c->name[1], word) == 0
		    || in_list(c->aliases, word))
			return c;
	}
	return NULL;
}

const struct wt_command *subcommand_find(const struct wt_command *cmd, const char *word)
{
	for (const struct wt_command *s = cmd->subs; s && s->name[0]; s++) {
		if (strcasecmp(s->name[0], word) == 0 || (s->name[1] && strcasecmp(s->name[1], word) == 0)
		    || in_list(s->aliases, word))
			return s;
	}
	return NULL;
}

void command_path(struct strbuf *sb, const struct wt_ctx *ctx, const struct wt_command *cmd)
{
	sb_add(sb, "`!");
	for (size_t i = 0; i < ctx->cmd_depth && ctx->cmd_path[i] != cmd; i++)
		sb_addf(sb, "%s ", ctx->cmd_path[i]->name[ctx->lang]);
	sb_addf(sb, "%s`", cmd->name[ctx->lang] ? cmd->name[ctx->lang] : cmd->name[0]);
}

/* The sub-commands of cmd closest to word (at most three), as "`a`, `b` of
 * `c`" in hint; empty when none is close. */
static void closest_subs(struct strbuf *hint, const struct wt_ctx *ctx,
			 const struct wt_command *cmd, const char *word)
{
	const char *best[3] = { NULL, NULL, NULL };
	size_t bestd[3] = { TEXTDIST_FAR, TEXTDIST_FAR, TEXTDIST_FAR };
	size_t limit = strlen(word) <= 4 ? 1 : 2;
	for (const struct wt_command *s = cmd->subs; s && s->name[0]; s++) {
		if (s->flags & WT_CMD_HIDDEN)
			continue;
		const char *name = s->name[ctx->lang] ? s->name[ctx->lang] : s->name[0];
		size_t d = text_distance(word, name);
		if (d > limit)
			continue;
		for (int k = 0; k < 3; k++) {
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
	for (int k = 0; k < 3 && best[k]; k++) {
		if (k)
			sb_addf(hint, k == 2 || !best[k + 1] ? " %s " : ", ", T(ctx, M_OR));
		sb_addf(hint, "`%s`", best[k]);
	}
}

int reply_unknown_sub(struct wt_ctx *ctx, const char *word)
{
	const struct wt_command *cmd = ctx->cmd;
	struct strbuf md = STRBUF_INIT, path = STRBUF_INIT, hint = STRBUF_INIT, sb = STRBUF_INIT;
	sb_add_md(&md, word);
	command_path(&path, ctx, cmd);
	closest_subs(&hint, ctx, cmd, word);
	if (hint.len)
		sb_addm(&sb, ctx, M_SUB_UNKNOWN_HINT, md.buf, path.buf, hint.buf);
	else
		sb_addm(&sb, ctx, M_SUB_UNKNOWN, md.buf, path.buf);
	int rc = reply_usage_md(ctx, WT_EUSAGE, cmd->synopsis, sb.buf);
	sb_release(&md);
	sb_release(&path);
	sb_release(&hint);
	sb_release(&sb);
	return rc;
}

/* Refuse cmd in ctx when a row's check fails: the role, a network. */
static int check_row(struct wt_ctx *ctx, const struct wt_command *cmd)
{
	if ((cmd->flags & WT_CMD_NETWORK) && (!ctx->net || !ctx->net->name)) {
		struct strbuf path = STRBUF_INIT;
		command_path(&path, ctx, cmd);
		int rc = reply_error(ctx, WT_EUSAGE, M_ERR_NO_NETWORK, path.buf);
		sb_release(&path);
		return rc;
	}
	return reply_require_role(ctx, cmd->min_role);
}

int command_run(struct wt_ctx *ctx, const struct wt_command *cmd, const char *args)
{
	if (ctx->cmd_depth < sizeof ctx->cmd_path / sizeof ctx->cmd_path[0])
		ctx->cmd_path[ctx->cmd_depth++] = cmd;
	ctx->cmd = cmd;
	int rc = check_row(ctx, cmd);
	if (rc != WT_OK)
		return rc;
	args = args_skip_blank(args);
	if (!cmd->subs || !*args) {
		if (cmd->fn)
			return cmd->fn(ctx, args);
		return reply_usage(ctx, M_SUB_MISSING, cmd->synopsis);
	}
	struct strbuf word = STRBUF_INIT;
	const char *rest = args_word(args, &word);
	const struct wt_command *sub = subcommand_find(cmd, word.buf);
	if (sub)
		rc = command_run(ctx, sub, rest ? rest : "");
	else if (cmd->fn && (cmd->flags & WT_CMD_TAKES_WORD))
		rc = cmd->fn(ctx, args);
	else
		rc = reply_unknown_sub(ctx, word.buf);
	sb_release(&word);
	return rc;
}
