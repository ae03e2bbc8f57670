/* The demo network's advice requests and expertise (invented people of
 * demo/demo.h): one asked request waiting for acceptance, one unasked
 * request in progress with a draft, one decided. */
#include "demo/advice_demo.h"

#include "storage/advice.h"
#include "storage/expertise.h"

#include "handlers/network.h"
#include "lib/tz.h"

#define DAY 86400

static const struct { const char *user; const char *topic[2]; } demo_expertise[] = {
	{ "@daan:demo.test", { "dementie", "dementia" } },
	{ "@daan:demo.test", { "palliatieve zorg", "palliative care" } },
	{ "@eva:demo.test", { "ouderengeneeskunde", "elderly care medicine" } },
	{ "@eva:demo.test", { "kwaliteit van zorg", "quality of care" } },
	{ "@anna:demo.test", { "opleiden", "training" } },
};

/* One demo request: its texts per language, and how far it got. */
struct demo_request {
	const char *text[2][3];      /* [lang][title, question, why] */
	const char *requested_by;    /* NULL: unasked */
	const char *submitted_by;
	int theme;                   /* index into the network's themes */
	int deadline_days;           /* from now; 0 = none */
	enum advice_state reach;     /* received, in_progress or decided */
	const char *draft[2];
};

static const struct demo_request demo_requests[] = {
	{ { { "Regionale aanpak van personeelstekort",
	      "Welke taken kunnen regionaal gedeeld worden?",
	      "Vacatures blijven lang open." },
	    { "Regional approach to staff shortages",
	      "Which tasks can be shared across the region?",
	      "Vacancies stay open for a long time." } },
	  "@carla:demo.test", "@carla:demo.test", 3, 45, ADVICE_RECEIVED, { NULL, NULL } },
	{ { { "Expertteam dementie in de regio",
	      "Hoe bundelen we kennis over dementie?",
	      "Kennis is versnipperd over organisaties." },
	    { "Regional dementia expert team",
	      "How do we pool knowledge about dementia?",
	      "Knowledge is scattered across organisations." } },
	  NULL, "@daan:demo.test", 0, 20, ADVICE_IN_PROGRESS,
	  { "Wij adviseren een regionaal expertteam met vaste spreekuren.",
	    "We advise a regional expert team with fixed consultation hours." } },
	{ { { "Gezamenlijk opleidingsplan",
	      "Stemmen we de opleidingsplaatsen regionaal af?",
	      "Opleiders zijn schaars." },
	    { "Joint training plan",
	      "Do we coordinate training places regionally?",
	      "Trainers are scarce." } },
	  "@carla:demo.test", "@carla:demo.test", 2, 0, ADVICE_DECIDED,
	  { "Eén regionaal opleidingsplan, jaarlijks herzien.",
	    "One regional training plan, reviewed each year." } },
};

/* Take request a from received up to reach, as the chair would. */
static int walk(sqlite3 *db, struct wt_advice *a, const struct demo_request *d,
		int lang, time_t now)
{
	static const struct { const char *action; enum advice_state to; } path[] = {
		{ "accept", ADVICE_ACCEPTED }, { "assign", ADVICE_IN_PROGRESS },
		{ "draft", ADVICE_IN_PROGRESS }, { "deliver", ADVICE_DELIVERED },
		{ "decide", ADVICE_DECIDED },
	};
	size_t steps = d->reach == ADVICE_RECEIVED ? 0 : d->reach == ADVICE_IN_PROGRESS ? 3
							      : sizeof path / sizeof path[0];
	for (size_t i = 0; i < steps; i++) {
		const char *actor = i == 2 ? "@daan:demo.test" : i == 4 ? "@carla:demo.test"
								  : "@anna:demo.test";
		const char *note = i == 1 ? "@daan:demo.test, @eva:demo.test"
				 : i == 2 ? d->draft[lang] : NULL;
		if (i == 1 && (advice_assign(db, a->id, "@daan:demo.test", actor, now) < 0
			       || advice_assign(db, a->id, "@eva:demo.test", actor, now) < 0))
			return -1;
		if (i == 2 && advice_set_draft(db, a->id, d->draft[lang], actor, now) < 0)
			return -1;
		if (i == 4 && advice_set_outcome(db, a->id, OUTCOME_ADOPTED, d->draft[lang]) < 0)
			return -1;
		if (advice_step(db, a, path[i].action, path[i].to, actor, now, NULL, note) < 0)
			return -1;
		a->state = path[i].to;
	}
	return 0;
}

/* 17:00 in the network's zone, days from now (0 = no deadline). */
static time_t demo_deadline(const struct wt_network *net, time_t now, int days)
{
	struct tz_local l;
	time_t t = now + (time_t)days * DAY;
	const char *tz = net->tz ? net->tz : "Europe/Amsterdam";
	if (!days || tz_from_utc(tz, t, &l) != TZ_OK)
		return days ? t : 0;
	l.hour = 17;
	l.min = l.sec = 0;
	return tz_to_utc(tz, &l, &t) == TZ_OK ? t : now + (time_t)days * DAY;
}

int advice_demo_seed(sqlite3 *db, const struct wt_network *net, time_t now)
{
	int lang = net->lang == LANG_EN ? 1 : 0;
	for (size_t i = 0; i < sizeof demo_expertise / sizeof demo_expertise[0]; i++)
		if (expertise_add(db, net->name, demo_expertise[i].user,
				  demo_expertise[i].topic[lang], now) < 0)
			return -1;
	for (size_t i = 0; i < sizeof demo_requests / sizeof demo_requests[0]; i++) {
		const struct demo_request *d = &demo_requests[i];
		struct wt_advice a = {
			.network = net->name, .title = (char *)d->text[lang][0],
			.question = (char *)d->text[lang][1], .why = (char *)d->text[lang][2],
			.theme = net->nthemes ? net->themes[(size_t)d->theme % net->nthemes] : NULL,
			.deadline = demo_deadline(net, now, d->deadline_days),
			.requested_by = (char *)d->requested_by,
			.submitted_by = (char *)d->submitted_by,
			.room = net->nrooms ? net->rooms[0] : NULL, .created_at = now,
		};
		if (advice_create(db, &a) < 0 || walk(db, &a, d, lang, now) < 0)
			return -1;
	}
	return 0;
}
