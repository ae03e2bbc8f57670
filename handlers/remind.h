/* remind: answers to the reminders the bot sent, beyond commands.
 *
 * A reply to a reminder's message ("snooze 1h", "later 1u", "uitstellen
 * 30m", or only "snooze" for an hour) snoozes it: a one-time reminder comes
 * again then; a recurring one gets a one-time copy, its series stays. A 👍
 * reaction to a recurring room reminder's message subscribes the reactor to
 * a personal copy (by direct message from the next occurrence on). The
 * transport calls these for messages and reactions that relate to another
 * event; the reminder is found by the event id of its last message
 * (reminders_note_sent). */
#ifndef WT_REMIND_H
#define WT_REMIND_H

#include "handlers/context.h"

/* body replies to replied_event_id. WT_NOT_COMMAND when that is no
 * reminder's message or body is no snooze; else WT_OK or an error code
 * after an error reply. */
int remind_on_reply(struct wt_ctx *ctx, const char *replied_event_id, const char *body);

/* The sender reacted with key to target_event_id. WT_NOT_COMMAND when it
 * is no 👍 on a recurring room reminder's message. */
int remind_on_reaction(struct wt_ctx *ctx, const char *target_event_id, const char *key);

#endif
