/* SPDX-License-Identifier: MIT */
/* hubspot-dates.h — HubSpot's dates that messages and docs cite, in one
 * place, each with where it comes from (see also docs/design.md,
 * "HubSpot"), and the advice that follows from them. */
#ifndef HS_HUBSPOT_DATES_H
#define HS_HUBSPOT_DATES_H

/* API keys (?hapikey=) stopped working on this date: HubSpot developer
 * changelog, the 2022 API-key sunset announcement. */
#define HS_DATE_API_KEYS_ENDED "2022-11-30"

/* No account can create a legacy private app any more: HubSpot developer
 * changelog, "Legacy private app creation sunset" (2026): new accounts from
 * 2026-09-28, every other account from 2026-10-26.  Existing private-app
 * tokens keep working. */
#define HS_DATE_PRIVATE_APPS_CLOSED_NEW_ACCOUNTS "2026-09-28"
#define HS_DATE_PRIVATE_APPS_CLOSED "2026-10-26"

/* The /oauth/v1 endpoints end: HubSpot developer changelog on the
 * date-versioned OAuth API (/oauth/2026-03/…), v1 sunset 2027-02-16. */
#define HS_DATE_OAUTH_V1_ENDS "2027-02-16"

/* Where a service key is made: HubSpot developer docs, "Account service
 * keys" (the replacement for legacy private apps for one account's
 * scripts). */
#define HS_SERVICE_KEY_WHERE "Development > Keys > Service keys"

/* What to create for one account's scripts, for messages that say so. */
#define HS_ADVICE_SERVICE_KEY                              \
  "create a service key in HubSpot (" HS_SERVICE_KEY_WHERE \
  "; HubSpot stopped the creation of private apps "        \
  "on " HS_DATE_PRIVATE_APPS_CLOSED ")"

#endif
