/* board_link: the members' secret links to the web board (web/):
 * `!bord link [intrekken]` (a personal link to the board's pages) and
 * `!agenda abonneer [acties | intrekken]` (a calendar feed). Each link goes
 * by direct message only; web/token.h makes and checks them. */
#ifndef WT_HANDLERS_BOARD_LINK_H
#define WT_HANDLERS_BOARD_LINK_H

#include "handlers/context.h"

/* `!agenda abonneer` / `subscribe` (a row of agenda_subs). */
int agenda_subscribe_cmd(struct wt_ctx *ctx, const char *args);

#endif
