/* sync_filter: whether a /sync answer obeyed the bot's filter
 * (matrix_filter_json). A server may ignore a filter id it does not know
 * (Dendrite answers 200, unfiltered) instead of refusing it; the answer
 * then carries what the filter excludes, and bot/sync_loop.c falls back
 * to sending the filter inline. */
#ifndef WT_SYNC_FILTER_H
#define WT_SYNC_FILTER_H

#include <jansson.h>

#include "lib/strbuf.h"

/* 1 when resp holds something filter excludes (why gets one short
 * reason, e.g. "a m.room.topic event in the timeline of !r:x"), else 0.
 * Reads each joined room's timeline and state against the filter's
 * types / not_types and the timeline limit; not the account data,
 * presence or ephemeral events, which servers send or filter as they
 * please (Dendrite: m.push_rules always). */
int sync_filter_ignored(json_t *filter, json_t *resp, struct strbuf *why);

#endif
