/**
 * How values travel to the handlers. CloudFormation passes every scalar of a custom resource's
 * properties as a string, so a boolean travels as `'true'` or `'false'`; the rule inputs the
 * constructs write use the same form, so one reader serves both.
 *
 * This module imports nothing: the constructs and the handler bundles share it.
 */

/** A boolean as it travels. */
export type WireBoolean = 'true' | 'false';

/** The wire form of a boolean. */
export function toWireBoolean(value: boolean): WireBoolean {
  return value ? 'true' : 'false';
}
