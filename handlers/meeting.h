/* meeting: what other command families use of !vergadering / !meeting. */
#ifndef WT_HANDLERS_MEETING_H
#define WT_HANDLERS_MEETING_H

#include "handlers/catalog.h"
#include "storage/meetings.h"

/* The catalogue name of a meeting state (planned, open, ...). */
enum msg_id meeting_state_msg(enum meeting_state s);

#endif
