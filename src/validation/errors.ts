/**
 * The one error type our validators and constructs throw for bad input.
 *
 * Internal (not exported from the package index): users see its message, which always
 * names what is wrong, the offending value and how to fix it.
 */
export class PkiValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PkiValidationError';
    Object.setPrototypeOf(this, PkiValidationError.prototype);
  }
}

/**
 * Throws a `PkiValidationError` naming the construct path when `problems` is not empty.
 *
 * @param path the construct path (`scope.node.path`) the problems belong to
 * @param problems messages produced by the pure validators
 */
export function throwIfProblems(path: string, problems: readonly string[]): void {
  if (problems.length === 0) {
    return;
  }
  const body = problems.length === 1 ? problems[0] : problems.map((p) => `\n  - ${p}`).join('');
  throw new PkiValidationError(`${path}: ${body}`);
}

const MAX_QUOTED = 300;

/**
 * Quotes a value for a message with `JSON.stringify`, cutting very long strings short. Numbers JSON cannot
 * represent are printed as JavaScript writes them (`NaN`, `Infinity`, `-Infinity`), never as `null`. Never throws.
 */
export function quoteValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value);
  }
  if (typeof value === 'string') {
    return value.length <= MAX_QUOTED ? JSON.stringify(value) : `${JSON.stringify(value.slice(0, MAX_QUOTED))}… (${value.length} characters)`;
  }
  try {
    const text = JSON.stringify(value);
    if (text !== undefined) {
      return text.length <= MAX_QUOTED ? text : `${text.slice(0, MAX_QUOTED)}…`;
    }
  } catch {
    // circular structures, BigInt: fall through to the type name
  }
  return `(${typeof value})`;
}

/** The distinct characters of `text` that `allowed` rejects, quoted; at most five shown. */
export function badCharacters(text: string, allowed: RegExp): string {
  const bad = [...new Set([...text].filter((c) => !allowed.test(c)))];
  const shown = bad.slice(0, 5).map((c) => JSON.stringify(c)).join(', ');
  return bad.length > 5 ? `${shown} and ${bad.length - 5} more` : shown;
}
