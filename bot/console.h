/* console: --shell mode. stdin/stdout stand in for the homeserver; every
 * line goes through the same entry point as a Matrix event
 * (wt_handle_event, handlers/event.h).
 *
 * Every message in the console's timeline has a number: each line typed
 * (the interactive prompt shows the number the next one gets) and each
 * message the bot shows, printed as "[n] " before it (reactions have
 * none). With it, console lines feed what a Matrix client sends besides
 * messages:
 *   /bewerk N tekst   (/edit)   an edit of your own message N
 *   /reageer N 👍     (/react)  a reaction to message N
 *   /antwoord N tekst (/reply)  a reply to message N (quoting it)
 * so a #besluit line can be corrected, a reminder shown by /wacht can get
 * a 👍 or "uitstellen 1u", and a refused command can be corrected. */
#ifndef WT_CONSOLE_H
#define WT_CONSOLE_H

#include <sqlite3.h>
#include <stdio.h>

#include "bot/config.h"

/* Read messages from in until EOF, print replies to out. A line ending in
 * a backslash continues on the next line. Returns the exit code (0). */
int console_run(sqlite3 *db, const struct wt_config *cfg, const char *as,
		const char *room, FILE *in, FILE *out);

#endif
