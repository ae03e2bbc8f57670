/* commands: the one command table (Dutch name, English name, aliases,
 * minimum role, synopsis and help from the catalogue, handler, flags) and
 * each command's sub-command table, in the same shape. !help and the
 * README's command reference are generated from them.
 *
 * How a command with sub-commands runs (command_run): the first word of
 * its arguments is looked up in subs (either language or an alias,
 * case-insensitive); a match has its own role and flags checked and its
 * handler gets the text after the word. No word runs the command's own
 * handler (fn) with ""; a word that is no sub-command goes to fn only when
 * the command has WT_CMD_TAKES_WORD (`!agenda 3`, `!herinner mij ...`),
 * else it gets the "unknown sub-command" reply with the closest name and
 * the synopsis. A handler never checks the role its row states. */
#ifndef WT_COMMANDS_H
#define WT_COMMANDS_H

#include "handlers/catalog.h"
#include "handlers/context.h"
#include "lib/strbuf.h"

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
	wt_handler_fn fn;            /* NULL: only its sub-commands */
	int flags;                   /* WT_CMD_* */
	/* The sub-commands, ended by a row whose name[0] is NULL; NULL: none.
	 * In a sub-command row help may be 0 and subs nests a level. */
	const struct wt_command *subs;
};

/* A name too close to everyday words other bots use as commands ("!weer",
 * "!meer"): an unknown !word near it gets no suggestion of it. */
#define WT_CMD_NO_SUGGEST 1
/* Only in a room of a network: elsewhere the refusal that says so. */
#define WT_CMD_NETWORK 2
/* fn also takes a first word that is no sub-command (an id, a person, a
 * time); without this flag such a word is an unknown sub-command. */
#define WT_CMD_TAKES_WORD 4
/* Not listed by !help (another name's row does the job, kept for old
 * spellings). */
#define WT_CMD_HIDDEN 8

/* The end of a sub-command table. */
#define WT_SUBS_END { { NULL, NULL }, NULL, ROLE_NONE, M_NONE, M_NONE, NULL, 0, NULL }

extern const struct wt_command wt_commands[];
extern const size_t wt_ncommands;

/* The command named word (either language or an alias, case-insensitive), or
 * NULL. */
const struct wt_command *command_find(const char *word);

/* The sub-command of cmd named word, or NULL. */
const struct wt_command *subcommand_find(const struct wt_command *cmd, const char *word);

/* Run cmd (a command or a sub-command) on args: its role and flags
 * checked, then its sub-command or its handler (above). Sets ctx->cmd to
 * the row that runs. Returns the handler's code. */
int command_run(struct wt_ctx *ctx, const struct wt_command *cmd, const char *args);

/* The "unknown sub-command" refusal for word under ctx->cmd: the closest
 * sub-command names and the synopsis. For a handler with
 * WT_CMD_TAKES_WORD that finds the word is not its kind either. */
int reply_unknown_sub(struct wt_ctx *ctx, const char *word);

/* The names of cmd a person can type in ctx's language: "`!agenda`", or
 * for a sub-command its path "`!agenda accepteer`". */
void command_path(struct strbuf *sb, const struct wt_ctx *ctx, const struct wt_command *cmd);

/* The command reference as a Markdown table (README). */
void help_reference(struct strbuf *sb);
/* The COMMANDS section of werktafel(1) in roff (handlers/help_man.c). */
void help_man_commands(struct strbuf *sb);

/* The handlers (one file per family). */
int cmd_help(struct wt_ctx *ctx, const char *args);
int cmd_role(struct wt_ctx *ctx, const char *args);
int cmd_forget(struct wt_ctx *ctx, const char *args);
int cmd_export(struct wt_ctx *ctx, const char *args);
int cmd_meeting(struct wt_ctx *ctx, const char *args);
int cmd_agenda(struct wt_ctx *ctx, const char *args);
int cmd_advice(struct wt_ctx *ctx, const char *args);
int cmd_expertise(struct wt_ctx *ctx, const char *args);
int cmd_who(struct wt_ctx *ctx, const char *args);
int cmd_remind(struct wt_ctx *ctx, const char *args);
int cmd_reminders(struct wt_ctx *ctx, const char *args);
int cmd_timezone(struct wt_ctx *ctx, const char *args);
int cmd_actionline(struct wt_ctx *ctx, const char *args);
int cmd_stakeholders(struct wt_ctx *ctx, const char *args);
int cmd_programme(struct wt_ctx *ctx, const char *args);
int cmd_report(struct wt_ctx *ctx, const char *args);      /* report.c */
int cmd_goal(struct wt_ctx *ctx, const char *args);
int cmd_item(struct wt_ctx *ctx, const char *args);
int cmd_minutes(struct wt_ctx *ctx, const char *args);
int cmd_decision(struct wt_ctx *ctx, const char *args);
int cmd_decisions(struct wt_ctx *ctx, const char *args);
int cmd_undo(struct wt_ctx *ctx, const char *args);
int cmd_action(struct wt_ctx *ctx, const char *args);
int cmd_actions(struct wt_ctx *ctx, const char *args);
/* Attendance (handlers/attendance.c, see handlers/invite.h). */
int cmd_present(struct wt_ctx *ctx, const char *args);
int cmd_apologies(struct wt_ctx *ctx, const char *args);
int cmd_attendance(struct wt_ctx *ctx, const char *args);
int cmd_feedback(struct wt_ctx *ctx, const char *args);
int cmd_more(struct wt_ctx *ctx, const char *args);
int cmd_document(struct wt_ctx *ctx, const char *args);
int cmd_documents(struct wt_ctx *ctx, const char *args);
int cmd_rota(struct wt_ctx *ctx, const char *args);
int cmd_organisation(struct wt_ctx *ctx, const char *args);
int cmd_poll(struct wt_ctx *ctx, const char *args);
int cmd_polls(struct wt_ctx *ctx, const char *args);
int cmd_evaluation(struct wt_ctx *ctx, const char *args);
/* The web board: `!bord` alone puts it in the room as a widget
 * (handlers/board.c), its sub-commands (handlers/board_link.c). */
int cmd_board(struct wt_ctx *ctx, const char *args);
/* Bodies and proposals (handlers/body.c, handlers/proposal*.c). */
int cmd_body(struct wt_ctx *ctx, const char *args);
int cmd_proposal(struct wt_ctx *ctx, const char *args);

/* The sub-command tables (one per family file). */
extern const struct wt_command agenda_subs[];
extern const struct wt_command advice_subs[];
extern const struct wt_command remind_subs[];
extern const struct wt_command reminders_subs[];
extern const struct wt_command timezone_subs[];
extern const struct wt_command al_subs[];
extern const struct wt_command stakeholder_subs[];
extern const struct wt_command goal_subs[];
extern const struct wt_command meeting_subs[];
extern const struct wt_command series_subs[];
extern const struct wt_command item_subs[];
extern const struct wt_command action_subs[];
extern const struct wt_command expertise_subs[];
extern const struct wt_command doc_subs[];
extern const struct wt_command minutes_subs[];
extern const struct wt_command rota_subs[];
extern const struct wt_command org_subs[];
extern const struct wt_command poll_subs[];
extern const struct wt_command eval_subs[];
extern const struct wt_command report_subs[];
extern const struct wt_command board_subs[];
extern const struct wt_command body_subs[];
extern const struct wt_command proposal_subs[];

#endif
