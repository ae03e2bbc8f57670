/* exit: the process's exit statuses (README: "Exit statuses"), from main,
 * the console, the login and the loop. */
#ifndef WT_EXIT_H
#define WT_EXIT_H

#include "storage/db_fault.h"

enum wt_exit {
	WT_EXIT_OK = 0,           /* a clean stop */
	WT_EXIT_FATAL = 1,        /* another fatal error */
	WT_EXIT_USAGE = 2,        /* a bad command line or config */
	WT_EXIT_CREDENTIALS = 3,  /* the homeserver refuses the account */
	WT_EXIT_DB = DB_EXIT_UNUSABLE,  /* the database cannot be used */
};

#endif
