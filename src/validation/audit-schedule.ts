import { Token } from 'aws-cdk-lib';
import { quoteValue } from './errors';

/**
 * Private CA makes at most one audit report every 30 minutes per CA (digest §3.2, AU-04), so a
 * schedule that fires more often only produces failed runs. Pure and token-aware.
 */

/** The shortest time between two audit reports of one CA. */
export const MIN_AUDIT_REPORT_INTERVAL_MINUTES = 30;

const RATE = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/;
const CRON = /^cron\((.*)\)$/;

/**
 * The values of one cron field between `min` and `max`, or `undefined` for syntax this check does
 * not model (names, `L`, `W`, `#`), so that such schedules are never refused by mistake.
 */
function cronValues(field: string, min: number, max: number): number[] | undefined {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|\?|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const all = m[1] === '*' || m[1] === '?';
    const from = all ? min : Number(m[1]);
    const to = m[2] !== undefined ? Number(m[2]) : (all || m[3] !== undefined ? max : from);
    const step = m[3] !== undefined ? Number(m[3]) : 1;
    if (step < 1 || from < min || to > max) return undefined;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

/** The shortest gap in minutes between two runs of a cron expression, when it can be told from the minute and hour fields. */
export function shortestCronGap(expression: string): number | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) return undefined;
  const minutes = cronValues(fields[0], 0, 59);
  const hours = cronValues(fields[1], 0, 23);
  if (!minutes?.length || !hours?.length) return undefined;
  const times = hours.flatMap((h) => minutes.map((m) => h * 60 + m));
  let gap = Infinity;
  for (let i = 1; i < times.length; i++) gap = Math.min(gap, times[i] - times[i - 1]);
  const everyDay = ['*', '?'].includes(fields[2]) && ['*', '?'].includes(fields[4]);
  if (everyDay) gap = Math.min(gap, times[0] + 24 * 60 - times[times.length - 1]);
  return gap === Infinity ? undefined : gap;
}

/**
 * Checks an EventBridge schedule expression (`rate(...)`, `cron(...)`, `at(...)`) against the
 * one-report-every-30-minutes quota.
 */
export function validateAuditSchedule(expression: string): string[] {
  if (Token.isUnresolved(expression)) return [];
  const fix = `Private CA makes at most one audit report every ${MIN_AUDIT_REPORT_INTERVAL_MINUTES} minutes per CA: ` +
    'use a schedule of Schedule.rate(Duration.minutes(30)) or longer, for example Schedule.rate(Duration.days(1)).';
  const rate = RATE.exec(expression.trim());
  if (rate) {
    const minutes = Number(rate[1]) * (rate[2].startsWith('minute') ? 1 : rate[2].startsWith('hour') ? 60 : 1440);
    return minutes < MIN_AUDIT_REPORT_INTERVAL_MINUTES ? [`schedule ${quoteValue(expression)} runs every ${minutes} minute(s). ${fix}`] : [];
  }
  const cron = CRON.exec(expression.trim());
  if (cron) {
    const gap = shortestCronGap(cron[1]);
    return gap !== undefined && gap < MIN_AUDIT_REPORT_INTERVAL_MINUTES
      ? [`schedule ${quoteValue(expression)} runs as little as ${gap} minute(s) apart. ${fix}`] : [];
  }
  return [];
}
