/* The command table. Keep it sorted as !help shows it: everyday commands
 * first. */
#include "handlers/commands.h"

#include <string.h>
#include <strings.h>

const struct wt_command wt_commands[] = {
	{ { "hulp", "help" }, "?", ROLE_MEMBER, M_SYN_HELP, M_HELP_HELP, cmd_help, 0 },
	{ { "agenda", "agenda" }, NULL, ROLE_MEMBER, M_SYN_AGENDA, M_HELP_AGENDA, cmd_agenda, 0 },
	{ { "vergadering", "meeting" }, "vg", ROLE_MEMBER, M_SYN_MEETING, M_HELP_MEETING, cmd_meeting, 0 },
	{ { "punt", "item" }, NULL, ROLE_SECRETARY, M_SYN_ITEM, M_HELP_ITEM, cmd_item, 0 },
	{ { "besluit", "decision" }, "agreed", ROLE_MEMBER, M_SYN_DECISION, M_HELP_DECISION, cmd_decision, 0 },
	{ { "besluiten", "decisions" }, "register", ROLE_MEMBER, M_SYN_DECISIONS, M_HELP_DECISIONS, cmd_decisions, 0 },
	{ { "actie", "action" }, NULL, ROLE_MEMBER, M_SYN_ACTION, M_HELP_ACTION, cmd_action, 0 },
	{ { "acties", "actions" }, NULL, ROLE_MEMBER, M_SYN_ACTIONS, M_HELP_ACTIONS, cmd_actions, 0 },
	{ { "notulen", "minutes" }, NULL, ROLE_MEMBER, M_SYN_MINUTES, M_HELP_MINUTES, cmd_minutes, 0 },
	{ { "ongedaan", "undo" }, NULL, ROLE_MEMBER, M_SYN_UNDO, M_HELP_UNDO, cmd_undo, 0 },
	{ { "meer", "more" }, NULL, ROLE_MEMBER, M_SYN_MORE, M_HELP_MORE, cmd_more, WT_CMD_NO_SUGGEST },
	{ { "actielijn", "actionline" }, "al actielijnen actionlines", ROLE_MEMBER, M_SYN_ACTIONLINE, M_HELP_ACTIONLINE, cmd_actionline, 0 },
	{ { "programma", "programme" }, "program", ROLE_MEMBER, M_SYN_PROGRAMME, M_HELP_PROGRAMME, cmd_programme, 0 },
	{ { "herinner", "remind" }, NULL, ROLE_MEMBER, M_SYN_REMIND, M_HELP_REMIND, cmd_remind, 0 },
	{ { "herinneringen", "reminders" }, NULL, ROLE_MEMBER, M_SYN_REMINDERS, M_HELP_REMINDERS, cmd_reminders, 0 },
	{ { "tijdzone", "timezone" }, "tz", ROLE_MEMBER, M_SYN_TIMEZONE, M_HELP_TIMEZONE, cmd_timezone, 0 },
	{ { "advies", "advice" }, "adviezen", ROLE_MEMBER, M_SYN_ADVICE, M_HELP_ADVICE, cmd_advice, 0 },
	{ { "expertise", "expertise" }, NULL, ROLE_MEMBER, M_SYN_EXPERTISE, M_HELP_EXPERTISE, cmd_expertise, 0 },
	{ { "wie", "who" }, NULL, ROLE_MEMBER, M_SYN_WHO, M_HELP_WHO, cmd_who, 0 },
	{ { "rol", "role" }, "rollen roles", ROLE_MEMBER, M_SYN_ROLE, M_HELP_ROLE, cmd_role, 0 },
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
