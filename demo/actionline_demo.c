/* actionline_demo: three invented action lines for `make demo`. People are
 * the demo network's (demo/demo.h) plus a few invented team members. */
#include "demo/actionline_demo.h"

#include "lib/tz.h"
#include "storage/actionlines.h"
#include "storage/db.h"

struct demo_line {
	const char *title[2], *goal[2];
	long long budget_cents;
	const char *sponsor, *lead, *care, *members[3];
	const char *deliv[3][2];
	int deliv_due[3];         /* days from today */
	int deliv_done;           /* how many of them are done */
	enum al_status status;
	const char *reason[2];
	const char *update[2];
	long long spent_cents;
	const char *spent_note[2];
};

static const struct demo_line demo_lines[] = {
	{
		{ "Eén regionale visie op de zorgfunctie", "One regional vision of the care function" },
		{ "Samen een gedragen visie en een plan van aanpak",
		  "A shared vision and a plan of approach" },
		2500000, "@carla:demo.test", "@daan:demo.test", "@fenna:demo.test",
		{ "@eva:demo.test", "@gijs:demo.test", "@hugo:demo.test" },
		{ { "Verkenning van de regio afgerond", "Exploration of the region finished" },
		  { "Plan van aanpak opgesteld en vastgesteld", "Plan of approach drawn up and adopted" },
		  { "Eigenaarschap per actielijn belegd", "Ownership per action line settled" } },
		{ -20, 30, 90 }, 1, AL_ON_TRACK, { NULL, NULL },
		{ "Eerste twee werksessies gehouden; veel animo.", "First two work sessions held; much interest." },
		420000, { "Begeleiding werksessies", "Facilitating the work sessions" },
	},
	{
		{ "Samen regionaal opleiden", "Training together in the region" },
		{ "Gecombineerde opleidingsgroepen voor de hele regio",
		  "Combined training groups for the whole region" },
		1800000, "@carla:demo.test", "@eva:demo.test", "@ivo:demo.test",
		{ "@daan:demo.test", "@jet:demo.test", "@koen:demo.test" },
		{ { "Overzicht van de opleidingsplaatsen", "Overview of the training places" },
		  { "Plan van aanpak opgesteld en vastgesteld", "Plan of approach drawn up and adopted" },
		  { "Eerste gezamenlijke lesdag", "First joint training day" } },
		{ -10, 45, 120 }, 0, AL_AT_RISK,
		{ "Twee deelnemers hebben minder tijd dan gepland", "Two participants have less time than planned" },
		{ "Inventarisatie loopt; een week vertraging.", "Inventory under way; a week behind." },
		150000, { "Zaalhuur startbijeenkomst", "Room hire for the kick-off" },
	},
	{
		{ "Slimmer werken en vernieuwen", "Working smarter and innovating" },
		{ "Minder administratie en zorgtechnologie die helpt",
		  "Less paperwork and care technology that helps" },
		3000000, "@anna:demo.test", "@gijs:demo.test", "@fenna:demo.test",
		{ "@hugo:demo.test", "@jet:demo.test", "@eva:demo.test" },
		{ { "Trends en ontwikkelingen in beeld", "Trends and developments mapped" },
		  { "Plan van aanpak opgesteld en vastgesteld", "Plan of approach drawn up and adopted" },
		  { "Drie proeftuinen gekozen", "Three pilot sites chosen" } },
		{ -30, 20, 100 }, 1, AL_ON_TRACK, { NULL, NULL },
		{ "Trendverkenning gedeeld met het team.", "Trend exploration shared with the team." },
		0, { NULL, NULL },
	},
};

/* Phase names in both languages. */
static const char *const demo_phases[2][2] = {
	{ "Verkennen en plannen", "Explore and plan" },
	{ "Uitproberen en invoeren", "Try out and introduce" },
};

/* Insert one line; the caller wraps the seed in a savepoint. */
static int seed_line(sqlite3 *db, const struct wt_network *net, const struct demo_line *d,
		     int lang, long today, time_t now)
{
	struct actionline l = {
		.network = net->name, .title = (char *)d->title[lang], .goal = (char *)d->goal[lang],
		.budget_cents = d->budget_cents, .created_by = "@bram:demo.test",
		.created_at = now - 60 * 86400,
	};
	if (al_create(db, &l) < 0)
		return -1;
	int rc = al_person_add(db, l.id, AL_SPONSOR, d->sponsor, now);
	rc |= al_person_add(db, l.id, AL_LEAD, d->lead, now);
	rc |= al_person_add(db, l.id, AL_CARE, d->care, now);
	for (int i = 0; i < 3; i++)
		rc |= al_person_add(db, l.id, AL_MEMBER, d->members[i], now);
	struct al_phase p1 = { .name = (char *)demo_phases[0][lang], .start_day = today - 60,
			       .end_day = today + 120 };
	struct al_phase p2 = { .name = (char *)demo_phases[1][lang], .start_day = today + 121,
			       .end_day = today + 300 };
	rc |= al_phase_add(db, l.id, &p1);
	rc |= al_phase_add(db, l.id, &p2);
	rc |= al_phase_set(db, p1.id, today - 60, 0);
	for (int i = 0; i < 3 && rc == 0; i++) {
		struct al_deliverable dv = { .text = (char *)d->deliv[i][lang],
					     .due_day = today + d->deliv_due[i], .phase_id = p1.id };
		rc |= al_deliv_add(db, l.id, &dv, now);
		if (i < d->deliv_done)
			rc |= al_deliv_set_done(db, dv.id, today + d->deliv_due[i] - 2);
	}
	if (d->status != AL_ON_TRACK)
		rc |= al_set_status(db, l.id, d->status, d->reason[lang], d->lead, now - 5 * 86400);
	rc |= al_update_add(db, l.id, d->lead, d->update[lang], now - 3 * 86400, NULL);
	if (d->spent_cents)
		rc |= al_spend_add(db, l.id, d->spent_cents, today - 14, d->spent_note[lang],
				   d->lead, now - 14 * 86400);
	return rc ? -1 : 0;
}

int actionline_seed_demo(sqlite3 *db, const struct wt_network *net, time_t now)
{
	struct actionline *v;
	size_t n;
	if (al_list(db, net->name, &v, &n) < 0)
		return -1;
	al_free_list(v, n);
	if (n)
		return 1;
	struct tz_local lt;
	if (tz_from_utc(net->tz ? net->tz : "Europe/Amsterdam", now, &lt) != TZ_OK)
		return -1;
	long today = (long)tz_days_from_civil(lt.year, lt.mon, lt.day);
	int lang = net->lang == LANG_EN ? 1 : 0;
	if (db_savepoint(db, "al_demo") < 0)
		return -1;
	for (size_t i = 0; i < sizeof demo_lines / sizeof demo_lines[0]; i++) {
		if (seed_line(db, net, &demo_lines[i], lang, today, now) < 0) {
			db_rollback_to(db, "al_demo");
			db_release(db, "al_demo");
			return -1;
		}
	}
	return db_release(db, "al_demo");
}
