/**
 * CloudFormation takes at most 4,096 bytes of response (the failure reason included), and the
 * Provider framework adds its own text. A handler's error message is kept under `MAX_REASON_BYTES`:
 * a longer one is cut, ends with "...and N more characters (see the handler's log)", and the whole
 * message goes to the log. Messages that list items (names, records, resources) are built with
 * `boundedText`, which leaves out whole items and counts them instead.
 */

/** The most bytes of an error message a handler hands to CloudFormation. */
export const MAX_REASON_BYTES = 2048;

/** `message` cut to `maxBytes` UTF-8 bytes (with the "...and N more" note), or itself when short enough. */
export function limitReason(message: string, maxBytes = MAX_REASON_BYTES): string {
  if (Buffer.byteLength(message, 'utf8') <= maxBytes) return message;
  const chars = [...message];
  let kept = '';
  let bytes = 0;
  // Room for the note (at most ~70 bytes).
  const budget = maxBytes - 80;
  for (const c of chars) {
    const size = Buffer.byteLength(c, 'utf8');
    if (bytes + size > budget) break;
    kept += c;
    bytes += size;
  }
  const more = chars.length - [...kept].length;
  return `${kept} ...and ${more} more characters (see the handler's log)`;
}

/** A failure: the full text (for the log) and the text within `MAX_REASON_BYTES` (for CloudFormation). */
export interface FailureText {
  readonly full: string;
  readonly reason: string;
}

/**
 * Joins `head`, the `items` and `tail`; when that is longer than `maxBytes`, items are left out from
 * the end and counted ("…and N more (the full list is in the handler's log)").
 */
export function boundedText(head: string, items: readonly string[], tail: readonly string[], separator = '\n',
  maxBytes = MAX_REASON_BYTES): FailureText {
  const full = [head, ...items, ...tail].join(separator);
  if (Buffer.byteLength(full, 'utf8') <= maxBytes) {
    return { full, reason: full };
  }
  const more = (n: number) => `…and ${n} more (the full list is in the handler's log)`;
  const cut = (text: string, bytes: number) => Buffer.from(text, 'utf8').subarray(0, Math.max(0, bytes)).toString('utf8').replace(/\uFFFD$/, '');
  const fixed = Buffer.byteLength([cut(head, maxBytes / 2), more(items.length), ...tail].join(separator), 'utf8');
  const kept: string[] = [];
  let used = fixed;
  for (const item of items) {
    const size = Buffer.byteLength(item + separator, 'utf8');
    if (used + size > maxBytes) break;
    kept.push(item);
    used += size;
  }
  const reason = [cut(head, maxBytes / 2), ...kept, more(items.length - kept.length), ...tail].join(separator);
  return { full, reason: Buffer.byteLength(reason, 'utf8') <= maxBytes ? reason : cut(reason, maxBytes) };
}

/**
 * Runs `fn`; when it throws, logs the full message and rethrows an error of the same name whose
 * message fits CloudFormation's limit.
 */
export async function withShortReason<T>(fn: () => Promise<T>, log: (line: string) => void): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const short = limitReason(message);
    if (short === message) throw err;
    log(JSON.stringify({ message: 'failed (the reason sent to CloudFormation is cut)', error: message }));
    const cut = new Error(short);
    cut.name = err instanceof Error ? err.name : 'Error';
    throw cut;
  }
}
