/* schema_widget: the text of schema migration 39 (storage/schema.c lists
 * it): outbox rows that are state events (the board's room widget). Kept
 * here so that schema.c stays small. Never edit a migration that has
 * shipped. */
#ifndef WT_STORAGE_SCHEMA_WIDGET_H
#define WT_STORAGE_SCHEMA_WIDGET_H

/* 39: an outbox row may be a state event (state_key set: PUT .../state/
 * {type}/{state_key} instead of .../send/...), with the message content
 * to post in its room when the homeserver refuses it for lack of power
 * (refused_content, M_FORBIDDEN), so the chair hears why the board did
 * not appear (handlers/board.c). */
#define SCHEMA_39_WIDGET \
	"ALTER TABLE outbox ADD COLUMN state_key TEXT;" \
	"ALTER TABLE outbox ADD COLUMN refused_content TEXT;"

#endif
