import { GraphQLError, ValueNode } from 'graphql';

/**
 * A value one of our scalars refused. graphql-js reports it as a validation error (a literal) or a
 * variable error, neither naming the input field; the error formatter answers it as BAD_USER_INPUT
 * with `fields: [{ field, message }]` like every other invalid input.
 */
export class ScalarValueError extends GraphQLError {
  constructor(
    readonly scalar: string,
    /** Completes the sentence "<field> …", e.g. `must be a calendar date YYYY-MM-DD`. */
    readonly rule: string,
    valueNode?: ValueNode,
  ) {
    super(`${scalar} ${rule}`, { nodes: valueNode, extensions: { code: 'BAD_USER_INPUT' } });
  }
}
