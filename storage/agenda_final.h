/* agenda_final: when a meeting's agenda was finalised (meetings column
 * agenda_final_at, migration 29; NULL while it is not). Before that,
 * proposers may still edit or withdraw their items. */
#ifndef WT_STORAGE_AGENDA_FINAL_H
#define WT_STORAGE_AGENDA_FINAL_H

#include <sqlite3.h>

int agenda_final_at(sqlite3 *db, long long meeting_id, long long *at); /* 1 final, 0 not, <0 error */
int agenda_set_final(sqlite3 *db, long long meeting_id, long long at);  /* 0 or <0 */

#endif
