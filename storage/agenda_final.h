/* agenda_final: whether a meeting's agenda is final (the column
 * meetings.agenda_final_at, migration 30; NULL: not final). `!agenda
 * vaststellen` sets it; after that only the chair changes the agenda,
 * and each change is announced. */
#ifndef WT_STORAGE_AGENDA_FINAL_H
#define WT_STORAGE_AGENDA_FINAL_H

#include <sqlite3.h>

int agenda_final_at(sqlite3 *db, long long meeting_id, long long *at); /* 1 final (*at set), 0 not, <0 error */
int agenda_set_final(sqlite3 *db, long long meeting_id, long long at);  /* 0 or <0 */

#endif
