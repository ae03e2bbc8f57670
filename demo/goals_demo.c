/* goals_demo: invented, neutral goals for the demo network (see
 * goals_demo.h), in the shape of a round table's three-year goals. */
#include "demo/goals_demo.h"

#include <stdlib.h>
#include <string.h>

#include "lib/tz.h"
#include "storage/actionlines.h"
#include "storage/db.h"
#include "storage/goals.h"

#define DAY 86400

static const struct demo_goal {
	const char *title[2], *unit[2];
	double target;
	const char *owner;
	enum goal_freq freq;
	int nvalues;
	double values[3];
	int ago[3];             /* days before now */
} demo_goals[] = {
	{ { "Gemiddeld een 8 van patiënten en naasten", "An average score of 8 from patients and families" },
	  { "cijfer", "score" }, 8, "@daan:demo.test", GOAL_FREQ_QUARTER, 3, { 7.4, 7.7, 7.6 },
	  { 200, 110, 20 } },
	{ { "Vacatures voor specialisten gevuld", "Vacancies for specialists filled" },
	  { "%", "%" }, 95, "@eva:demo.test", GOAL_FREQ_HALF, 2, { 86, 91 }, { 220, 40 } },
	{ { "Eén sociale activiteit per jaar", "One social activity a year" },
	  { "activiteit", "activity" }, 1, "@bram:demo.test", GOAL_FREQ_YEAR, 0, { 0 }, { 0 } },
};

static int seed_goal(sqlite3 *db, const struct wt_network *net, const struct demo_goal *d,
		     int lang, time_t now)
{
	struct goal g = { .network = net->name, .title = (char *)d->title[lang],
			  .has_target = 1, .target = d->target, .unit = (char *)d->unit[lang],
			  .period = (char *)"2025-2027", .owner = (char *)d->owner, .freq = d->freq,
			  .created_by = (char *)"@bram:demo.test", .created_at = now - 240 * DAY };
	if (goal_create(db, &g) < 0)
		return -1;
	for (int i = 0; i < d->nvalues; i++)
		if (goal_measurement_add_by(db, g.id, d->values[i], now - (time_t)d->ago[i] * DAY,
					    lang ? "survey" : "enquête", d->owner) < 0)
			return -1;
	return 0;
}

/* An indicator with its 0-measurement and a later one on the first line. */
static int seed_indicator(sqlite3 *db, const struct wt_network *net, int lang, time_t now)
{
	struct actionline l;
	int found = al_load(db, net->name, 1, &l);
	if (found <= 0)
		return found;
	struct al_indicator ind = { .line_id = l.id,
				    .name = (char *)(lang ? "Participants in training" : "Deelnemers aan scholing"),
				    .unit = (char *)(lang ? "participants" : "deelnemers"),
				    .has_target = 1, .target = 40 };
	al_free(&l);
	struct tz_local lt;
	if (tz_from_utc(net->tz ? net->tz : "Europe/Amsterdam", now, &lt) != TZ_OK)
		return -1;
	long today = (long)tz_days_from_civil(lt.year, lt.mon, lt.day);
	if (al_indicator_add(db, &ind, "@daan:demo.test", now) < 0
	    || al_indicator_measure(db, ind.id, 12, today - 50, lang ? "attendance list" : "presentielijst",
				    "@daan:demo.test", now) < 0
	    || al_indicator_measure(db, ind.id, 21, today - 5, lang ? "attendance list" : "presentielijst",
				    "@daan:demo.test", now) < 0)
		return -1;
	return 0;
}

int goals_seed_demo(sqlite3 *db, const struct wt_network *net, time_t now)
{
	struct goal *v;
	size_t n;
	if (goal_list(db, net->name, &v, &n) < 0)
		return -1;
	goal_free_list(v, n);
	if (n)
		return 1;
	int lang = net->lang == LANG_EN ? 1 : 0;
	if (db_savepoint(db, "goals_demo") < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof demo_goals / sizeof demo_goals[0]; i++)
		rc = seed_goal(db, net, &demo_goals[i], lang, now);
	if (rc == 0)
		rc = seed_indicator(db, net, lang, now);
	if (rc < 0) {
		db_rollback_to(db, "goals_demo");
		db_release(db, "goals_demo");
		return -1;
	}
	return db_release(db, "goals_demo");
}
