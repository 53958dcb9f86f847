export { HolidayCalendar, type HolidayRow } from './holiday-calendar';
export {
  MAX_NON_WORK_DAYS,
  WORK_DAY_HOURS,
  WORK_PERIODS,
  CLOCK_READING_EPOCH_DAY,
  addTimeLimit,
  clockMsBetween,
  clockReading,
  elapsedOnClock,
  remaining,
} from './business-clock';
export {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  DEFAULT_UTC_OFFSET_MINUTES,
  endOfDailyWindow,
  minutesOfLocalTime,
  type DailyWindow,
  formatDayIndex,
  isoWeek,
  isoWeekday,
  isoWeekOfDay,
  isoWeekOneMonday,
  isoWeeksInYear,
  localDate,
  localDay,
  localDayOfDate,
  localMidnightDate,
  parseLocalDate,
  startOfLocalDay,
} from './local-time';
export { formatLocalDateTime, formatUtcOffset, parseDateTime, utcOffsetMinutes } from './time-zone';
export { CLOCK, ManualClock, SYSTEM_CLOCK, type Clock } from './clock';
