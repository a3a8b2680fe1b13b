import { requirePattern } from '@nimo/kit';

/** The directory subgraph's checks of client input (BAD_USER_INPUT naming the argument). */

/** Region ids look like "13-02": prefecture number and serial. */
export const regionId = (argument: string, value: string): string => requirePattern(argument, value, /^\d{2}-\d{2}$/, 'a region id such as "13-02"');

/** Daily-life area ids look like "131016-01": municipality code and serial. */
export const dailyLifeAreaId = (argument: string, value: string): string =>
  requirePattern(argument, value, /^\d{6}-\d{2}$/, 'a daily-life area id such as "131016-01"');
