/* board: `!bord` / `!board` puts the round table's board (the bot's web
 * pages, web/) in the room as an Element room widget, `!bord weg` /
 * `remove` takes it out. The widget is the state event
 * im.vector.modular.widgets with state key BOARD_WIDGET_ID, sent by the
 * bot (so the bot needs the power level for it; a refusal is told in the
 * room, bot/outbox.c). Inside Element the page learns who looks through
 * the widget API's OpenID token (web/openid.h). */
#ifndef WT_BOARD_H
#define WT_BOARD_H

#include "handlers/commands.h"

/* The state event type and key of the widget. */
#define BOARD_WIDGET_TYPE "im.vector.modular.widgets"
#define BOARD_WIDGET_ID "org.werktafel.board"
/* The page the widget opens, under the public URL; Element fills in the
 * $matrix_* variables and adds widgetId and parentUrl for the widget API. */
#define BOARD_WIDGET_PATH "/widget"

/* The content of the widget's state event (JSON text, caller frees):
 * type m.custom, url public_url + BOARD_WIDGET_PATH with the room and the
 * viewer as Element's template variables, name, creatorUserId creator,
 * and waitForIframeLoad. NULL on error. */
char *board_widget_content_dup(const char *public_url, const char *name,
			       const char *creator);

/* `!bord` (the command row's handler, handlers/commands.c) and `!bord
 * weg` (a row of board_subs, handlers/board_link.c). */
int cmd_board(struct wt_ctx *ctx, const char *args);
int board_remove_cmd(struct wt_ctx *ctx, const char *args);

#endif
