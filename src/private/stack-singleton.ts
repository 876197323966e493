import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PkiValidationError } from '../validation/errors';

/**
 * The stack's one construct of a kind, at a reserved ID under the stack: found when it exists, created on
 * first use. A construct of another type at that ID is a user's construct: refused with an error naming
 * the path, since renaming ours would strand the resources deployed under it.
 *
 * @param scope any construct of the stack
 * @param id the reserved construct ID (part of the library's contract: never change it)
 * @param type the singleton's class
 * @param purpose what the ID is reserved for, for the error message
 * @param create creates the singleton under the stack
 */
export function stackSingleton<T extends Construct>(
  scope: Construct,
  id: string,
  type: Function & { prototype: T },
  purpose: string,
  create: (stack: Stack) => T,
): T {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(id);
  if (existing instanceof type) {
    return existing as T;
  }
  if (existing !== undefined) {
    throw new PkiValidationError(`${stack.node.path}/${id}: this construct ID is reserved for ${purpose}; rename your construct.`);
  }
  return create(stack);
}
