#include "demo/demo.h"

#include <string.h>

#include "demo/actionline_demo.h"
#include "demo/goals_demo.h"
#include "demo/advice_demo.h"
#include "handlers/catalog.h"
#include "lib/tz.h"
#include "storage/advice.h"
#include "storage/agenda.h"
#include "storage/db.h"
#include "storage/meetings.h"
#include "storage/minutes.h"
#include "storage/roles.h"

/* How many meetings, how far apart (months), and when the first one is. */
#define DEMO_MEETINGS 6
#define DEMO_MONTHS_APART 2
#define DEMO_FIRST_AFTER_DAYS 7
#define DEMO_HOUR 19
#define DEMO_MINUTE 30

static const struct { const char *user; int role; } demo_roles[] = {
	{ "@anna:demo.test", 4 },   /* chair */
	{ "@bram:demo.test", 3 },   /* secretary */
	{ "@carla:demo.test", 2 },  /* board member */
	{ "@daan:demo.test", 1 },   /* member */
	{ "@eva:demo.test", 1 },    /* member */
};

static const char *const demo_place[2] = {
	"Regiokantoor, vergaderzaal 1", "Regional office, meeting room 1",
};

/* One demo agenda item, in Dutch and English. theme is an index into the
 * network's themes (taken modulo their number). */
struct demo_item {
	int meeting;                 /* 0 = first meeting, 1 = second */
	int accepted;
	int theme;
	const char *proposer;
	const char *text[2][4];      /* [lang][title, why, what, how] */
};

static const struct demo_item demo_items[] = {
	{ 0, 1, 0, "@daan:demo.test", {
	  { "Gezamenlijke kwaliteitsindicatoren",
	    "Elke organisatie meet de tevredenheid van cliënten op een eigen manier.",
	    "Afspreken welke drie indicatoren we allemaal meten.",
	    "Een werkgroep van drie leden doet een voorstel voor de volgende vergadering." },
	  { "Shared quality indicators",
	    "Each organisation measures client satisfaction in its own way.",
	    "Agree on three indicators we all measure.",
	    "A working group of three members makes a proposal for the next meeting." } } },
	{ 0, 1, 2, "@carla:demo.test", {
	  { "Regionale scholingsdag",
	    "Nieuwe collega's kennen de regio en elkaar nog weinig.",
	    "Eén scholingsdag per jaar voor alle organisaties samen.",
	    "Datum en programma kiezen; elke organisatie levert één spreker." },
	  { "Regional training day",
	    "New colleagues hardly know the region and each other yet.",
	    "One training day a year for all organisations together.",
	    "Choose a date and a programme; each organisation brings one speaker." } } },
	{ 0, 0, 3, "@eva:demo.test", {
	  { "Vacatures samen invullen",
	    "Openstaande diensten blijven te lang open.",
	    "Een gedeelde invalpool voor avond- en weekenddiensten.",
	    NULL },
	  { "Filling vacancies together",
	    "Open shifts stay open too long.",
	    "A shared pool of stand-ins for evening and weekend shifts.",
	    NULL } } },
	{ 0, 0, 1, "@daan:demo.test", {
	  { "Afspraken met de huisartsen over de weekenddienst",
	    "Overdrachten in het weekend gaan soms mis.",
	    "Eén overdrachtsformulier voor de hele regio.",
	    "Twee leden bespreken een concept met de huisartsenpost." },
	  { "Weekend arrangements with the GPs",
	    "Handovers at weekends sometimes go wrong.",
	    "One handover form for the whole region.",
	    "Two members discuss a draft with the GP out-of-hours service." } } },
	{ 1, 0, 4, "@eva:demo.test", {
	  { "Proef met beeldbellen in de nachtdienst",
	    "Een arts is 's nachts niet altijd snel ter plaatse.",
	    "Drie maanden beeldbellen tussen verpleging en dienstdoende arts.",
	    "Twee locaties doen mee; daarna evalueren we samen." },
	  { "Trial of video calls on night shifts",
	    "At night a physician cannot always be there quickly.",
	    "Three months of video calls between nurses and the physician on call.",
	    "Two locations take part; then we evaluate together." } } },
};

/* Local start of the meeting in month (year, mon): the second Tuesday at
 * DEMO_HOUR:DEMO_MINUTE, the rhythm of many round tables. */
static int second_tuesday(const char *tz, int year, int mon, time_t *out)
{
	int first = tz_weekday(year, mon, 1);
	struct tz_local l = {
		.year = year, .mon = mon, .day = 1 + (2 - first + 7) % 7 + 7,
		.hour = DEMO_HOUR, .min = DEMO_MINUTE,
	};
	return tz_to_utc(tz, &l, out) < 0 ? -1 : 0;
}

/* The starts of the demo meetings: the first second Tuesday at least
 * DEMO_FIRST_AFTER_DAYS after now, then every DEMO_MONTHS_APART months. */
static int demo_starts(const char *tz, time_t now, time_t out[DEMO_MEETINGS])
{
	struct tz_local l;
	if (tz_from_utc(tz, now, &l) < 0)
		return -1;
	int months = l.year * 12 + l.mon - 1;
	for (int i = 0; i < DEMO_MEETINGS; months++) {
		time_t t;
		if (second_tuesday(tz, months / 12, months % 12 + 1, &t) < 0)
			return -1;
		if (i == 0 && t < now + DEMO_FIRST_AFTER_DAYS * 86400)
			continue;
		out[i++] = t;
		months += DEMO_MONTHS_APART - 1;
	}
	return 0;
}

/* Two decisions taken by email before the first demo meeting, and one open
 * action item, in the network's language. */
static int minutes_demo_seed(sqlite3 *db, const char *network, int english, time_t now)
{
	static const char *const text[2][3] = {
		{ "Per mail besloten: de werktafel vergadert voortaan om 19:30.",
		  "Per mail besloten: verslagen gaan binnen twee weken rond.",
		  "Lijst van contactpersonen per organisatie bijwerken" },
		{ "Decided by email: the round table meets at 19:30 from now on.",
		  "Decided by email: minutes go round within two weeks.",
		  "Update the list of contact persons per organisation" },
	};
	const char *const *t = text[english ? 1 : 0];
	for (int i = 0; i < 3; i++) {
		struct wt_logged it = {
			.network = (char *)network, .kind = i < 2 ? LOGGED_DECISION : LOGGED_ACTION,
			.text = (char *)t[i], .owner = i == 2 ? "@daan:demo.test" : NULL,
			.due_at = i == 2 ? now + 14 * 86400 : 0,
			.logged_by = "@bram:demo.test", .created_at = now - (3 - i) * 86400,
		};
		if (logged_add(db, &it) < 0)
			return -1;
	}
	return 0;
}

/* Insert the roles, meetings and items; the caller wraps it in a savepoint. */
static int seed(sqlite3 *db, const struct wt_network *net, time_t now)
{
	const char *tz = net->tz ? net->tz : "Europe/Amsterdam";
	int lang = net->lang == LANG_EN ? 1 : 0;
	for (size_t i = 0; i < sizeof demo_roles / sizeof demo_roles[0]; i++)
		if (roles_set(db, net->name, demo_roles[i].user, demo_roles[i].role,
			      NULL, now) < 0)
			return -1;
	long long ids[DEMO_MEETINGS];
	time_t starts[DEMO_MEETINGS];
	if (demo_starts(tz, now, starts) < 0)
		return -1;
	for (int i = 0; i < DEMO_MEETINGS; i++) {
		struct wt_meeting m = {
			.network = net->name,
			.title = (char *)msg_text(net->lang, M_MEETING_DEFAULT_TITLE),
			.room = net->nrooms ? net->rooms[0] : NULL,
			.place = (char *)demo_place[lang], .starts_at = starts[i],
			.duration_min = 120, .state = MEETING_PLANNED,
			.created_by = "@bram:demo.test", .created_at = now,
		};
		if (meeting_create(db, &m) < 0)
			return -1;
		ids[i] = m.id;
	}
	for (size_t i = 0; i < sizeof demo_items / sizeof demo_items[0]; i++) {
		const struct demo_item *d = &demo_items[i];
		struct wt_agenda_item it = {
			.network = net->name, .meeting_id = ids[d->meeting],
			.title = (char *)d->text[lang][0], .why = (char *)d->text[lang][1],
			.what = (char *)d->text[lang][2], .how = (char *)d->text[lang][3],
			.theme = net->nthemes ? net->themes[(size_t)d->theme % net->nthemes] : NULL,
			.proposer = (char *)d->proposer, .state = AGENDA_PROPOSED,
			.created_at = now,
		};
		int number;
		if (agenda_create(db, &it) < 0)
			return -1;
		if (d->accepted && agenda_accept(db, &it, &number) < 0)
			return -1;
	}
	if (actionline_seed_demo(db, net, now) < 0)
		return -1;
	if (goals_seed_demo(db, net, now) < 0)
		return -1;
	if (advice_demo_seed(db, net, now) < 0)
		return -1;
	if (minutes_demo_seed(db, net->name, lang, now) < 0)
		return -1;
	return 0;
}

int demo_seed(sqlite3 *db, const struct wt_network *net, time_t now)
{
	long long have = meeting_count(db, net->name);
	if (have < 0)
		return -1;
	if (have > 0)
		return 1;
	if (db_savepoint(db, "demo_seed") < 0)
		return -1;
	if (seed(db, net, now) < 0) {
		db_rollback_to(db, "demo_seed");
		return -1;
	}
	return db_release(db, "demo_seed");
}
