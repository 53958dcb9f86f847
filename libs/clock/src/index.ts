export { HolidayCalendar, type HolidayRow } from './holiday-calendar';
export {
  MAX_NON_WORK_DAYS,
  WORK_DAY_HOURS,
  WORK_PERIODS,
  addTimeLimit,
  elapsedOnClock,
  remaining,
} from './business-clock';
export { DEFAULT_UTC_OFFSET_MINUTES, isoWeek, localDate } from './local-time';
export { CLOCK, ManualClock, SYSTEM_CLOCK, type Clock } from './clock';
