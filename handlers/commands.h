/* commands: the one command table (Dutch name, English name, aliases,
 * minimum role, synopsis and help from the catalogue, handler). !help and
 * the README's command reference are generated from it. */
#ifndef WT_COMMANDS_H
#define WT_COMMANDS_H

#include "handlers/catalog.h"
#include "handlers/dispatch.h"

/* A handler gets the text after the command word (leading blanks removed;
 * it may span several lines). It returns WT_OK, or a negative code after it
 * added an error reply (dispatch then rolls its changes back). */
typedef int (*wt_handler_fn)(struct wt_ctx *ctx, const char *args);

struct wt_command {
	const char *name[WT_NLANGS]; /* "vergadering", "meeting" */
	const char *aliases;         /* more names, space-separated, or NULL */
	enum wt_role min_role;       /* checked by dispatch before fn runs */
	enum msg_id synopsis;        /* "!vergadering [plan <wanneer> ...]" */
	enum msg_id help;            /* one line */
	wt_handler_fn fn;
	int flags;                   /* WT_CMD_* */
};

/* A name too close to everyday words other bots use as commands ("!weer",
 * "!meer"): an unknown !word near it gets no suggestion of it. */
#define WT_CMD_NO_SUGGEST 1

extern const struct wt_command wt_commands[];
extern const size_t wt_ncommands;

/* The command named word (either language or an alias, case-insensitive), or
 * NULL. */
const struct wt_command *command_find(const char *word);

/* The command reference as a Markdown table (README). */
void help_reference(struct strbuf *sb);

/* The handlers (one file per family). */
int cmd_help(struct wt_ctx *ctx, const char *args);
int cmd_role(struct wt_ctx *ctx, const char *args);
int cmd_meeting(struct wt_ctx *ctx, const char *args);
int cmd_agenda(struct wt_ctx *ctx, const char *args);
int cmd_advice(struct wt_ctx *ctx, const char *args);
int cmd_expertise(struct wt_ctx *ctx, const char *args);
int cmd_who(struct wt_ctx *ctx, const char *args);
int cmd_remind(struct wt_ctx *ctx, const char *args);
int cmd_reminders(struct wt_ctx *ctx, const char *args);
int cmd_timezone(struct wt_ctx *ctx, const char *args);
int cmd_actionline(struct wt_ctx *ctx, const char *args);
int cmd_programme(struct wt_ctx *ctx, const char *args);
int cmd_item(struct wt_ctx *ctx, const char *args);
int cmd_minutes(struct wt_ctx *ctx, const char *args);
int cmd_decision(struct wt_ctx *ctx, const char *args);
int cmd_decisions(struct wt_ctx *ctx, const char *args);
int cmd_undo(struct wt_ctx *ctx, const char *args);
int cmd_action(struct wt_ctx *ctx, const char *args);
int cmd_actions(struct wt_ctx *ctx, const char *args);
int cmd_more(struct wt_ctx *ctx, const char *args);

/* Most pending reminders one person may have set (the config's
 * max_reminders_per_person, else this default). */
#define WT_MAX_REMINDERS_DEFAULT 50
extern long wt_max_reminders_per_person;

#endif
