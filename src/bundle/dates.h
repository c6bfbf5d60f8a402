/* bundle/dates — calendar facts about the days the model and the command line name: how long
 * a month is, whether "YYYY-MM-DD" is a day that exists, today. Gregorian, proleptic; era
 * names (令和) are text/'s. Plain functions, no state. */
#ifndef PF_DATES_H
#define PF_DATES_H

/* Days in month m (1-12) of year y: 28 to 31. */
int pf_days_in_month(int y, int m);

/* "YYYY-MM-DD" naming a day that exists (2024-02-29 yes; 2023-02-29, 2024-13-45 no) →
 * YYYYMMDD as a number; 0 if not. */
long pf_day_number(const char *s);

/* Today in local time as YYYYMMDD. */
long pf_today_number(void);

#endif
