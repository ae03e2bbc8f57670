/* e2ee_int: what bot/e2ee.c (identity, receiving) and bot/e2ee_send.c
 * (requests, sealing the outbox's rows) share. Private to those files. */
#ifndef WT_BOT_E2EE_INT_H
#define WT_BOT_E2EE_INT_H

#include <jansson.h>

#include "bot/crypto.h"
#include "bot/e2ee.h"
#include "bot/sync.h"

enum job_kind { JOB_PUMP, JOB_PREPARE, JOB_XSIGN };

/* One piece of work with the machine's requests; they run one at a time. */
struct job {
	enum job_kind kind;
	struct outbox_row *row;          /* JOB_PREPARE: the row to seal */
	void (*cb)(void *arg, int rc);   /* JOB_PREPARE: the outbox's answer */
	void *cb_arg;
	int rounds;
	json_t *reqs;                    /* JOB_XSIGN: the requests left */
	char *uia_session;               /* JOB_XSIGN: the auth session */
	void *aux;                       /* the step's request argument, freed with it */
	struct job *next;
};

/* A request of the machine in flight. */
struct creq {
	struct e2ee *e;
	char *id, *kind;
	struct creq *next;
};

struct look;

struct e2ee {
	struct matrix *m;
	struct wtc *c;                   /* NULL: no crypto machine */
	char *why_off;                   /* why not, for the log */
	struct sync_env env;             /* handling of waiting events */
	int have_env;
	void (*enqueued)(void *arg);
	void *enqueued_arg;
	int keys_arrived;                /* room keys came since the last retry */
	char *last_counts;               /* key counts of the last sync given to
					  * the machine (skip_sync in bot/e2ee.c) */
	unsigned long syncs_taken;       /* syncs given to the machine (tests) */
	unsigned long to_device_lost;    /* to-device messages it could not read */
	char *tracked;                   /* the users last given to the machine */
	json_t *fetched;                 /* rooms whose members were read this run */
	json_t *warned;                  /* rooms told once "cannot encrypt" */
	struct job *jobs;                /* the first one runs */
	int running;
	int pump_queued;
	int news;                        /* the machine was given something
					  * since the last pump: it may have
					  * requests (e2ee_after_sync) */
	unsigned long pumps;             /* pumps queued (tests) */
	struct creq *inflight;           /* the batch's requests */
	struct look *looks;              /* rows waiting for their room's state */
	int batch_left, batch_failed;
	int inflight_sent;               /* requests the batch sent */
	void (*batch_done)(struct e2ee *e, int failed);
};

/* The job queue (bot/e2ee_send.c). */
void e2ee_job_add(struct e2ee *e, struct job *j);
void e2ee_pump(struct e2ee *e);
void e2ee_jobs_free(struct e2ee *e);

/* Parse a string the machine returned (and free it); NULL when it failed
 * (logged with what). */
json_t *e2ee_take_json(char *s, const char *what);

#endif
