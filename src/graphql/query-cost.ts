import type { ApolloServerPlugin } from '@apollo/server';
import {
  DocumentNode,
  getNamedType,
  getNullableType,
  GraphQLError,
  GraphQLSchema,
  isCompositeType,
  isListType,
  Kind,
  OperationDefinitionNode,
} from 'graphql';
import { ComplexityEstimatorArgs, getComplexity } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@app/common';

/** What an unpaged list of objects is assumed to hold (such lists are short: instruments, history). */
export const UNPAGED_LIST_ITEMS = 10;

/**
 * The cost model (documented in the README, "Query cost"): what an operation may make the server
 * read and return, computed from the operation and its variables before anything runs.
 *
 * - a scalar or enum field: 0 (the alias limit bounds repeats);
 * - an object field: 1 plus what is selected inside it;
 * - a connection (a field with `first`): 2 plus `first` times what is selected inside it, `first`
 *   being the value the resolver will see (literal, variable or default), capped at MAX_PAGE_SIZE
 *   (a larger one is refused by validation with its own message); a connection that also pages
 *   backwards counts the larger of `first` and `last`. Its `edges` count once per item;
 * - any other list of objects: 1 plus UNPAGED_LIST_ITEMS times what is selected inside it.
 */
export function costEstimator({ field, args, childComplexity }: ComplexityEstimatorArgs): number {
  if (field.args.some((a) => a.name === 'first')) {
    const given = [args.first, args.last].filter((n): n is number => typeof n === 'number');
    const size = given.length ? Math.max(...given) : DEFAULT_PAGE_SIZE;
    return 2 + Math.min(Math.max(size, 1), MAX_PAGE_SIZE) * childComplexity;
  }
  if (!isCompositeType(getNamedType(field.type))) return 0;
  const unpagedList = isListType(getNullableType(field.type)) && field.name !== 'edges';
  return 1 + (unpagedList ? UNPAGED_LIST_ITEMS : 1) * childComplexity;
}

/** The cost of one operation of `document` with these variables. */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): number {
  // Only the operation that runs (and the fragments) counts; an unnamed one cannot be picked by name.
  const query: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [operation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)],
  };
  return getComplexity({ schema, query, variables: variables ?? {}, estimators: [costEstimator] });
}

/**
 * Refuses an operation above `maxCost`, or returns null. Variables that do not fit their types are
 * the client's mistake (BAD_USER_INPUT, as execution would say); they never lift the limit.
 */
export function costLimitError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  maxCost: number,
): GraphQLError | null {
  let cost: number;
  try {
    cost = operationCost(schema, document, operation, variables);
  } catch (err) {
    const message = err instanceof GraphQLError ? err.message : 'The variables do not fit the operation';
    return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
  }
  if (cost <= maxCost) return null;
  return new GraphQLError(
    `Query cost limit exceeded: this operation costs ${cost}, the limit is ${maxCost}. ` +
      'Ask for smaller pages (first) or fewer nested lists.',
    { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', cost, maxCost, http: { status: 400 } } },
  );
}

/**
 * The operation's own variables as a key (undeclared ones change nothing); null when they cannot
 * be serialised (hostile input nested deeper than the stack: such a request is judged, not remembered).
 */
function variablesKey(
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): string | null {
  const declared = (operation.variableDefinitions ?? []).map((d) => variables?.[d.variable.name.value] ?? null);
  try {
    return JSON.stringify(declared);
  } catch {
    return null;
  }
}

/** Variable sets remembered per operation: clients send few distinct ones (page sizes, ids do not change the cost much). */
const REMEMBERED_VARIABLE_SETS = 64;

/**
 * The cost limit over HTTP: after the operation is known, with its variables, before execution.
 * Apollo hands the same parsed operation for the same query text, so a verdict is remembered per
 * operation and variables (the cost walk was about 3 % of a `me` request's CPU). Only the verdict:
 * each refusal is a new error, since the error path tags it with the request.
 */
export function queryCostPlugin(maxCost: number): ApolloServerPlugin {
  const verdicts = new WeakMap<OperationDefinitionNode, Map<string, boolean>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          let known = verdicts.get(operation);
          const key = variablesKey(operation, request.variables);
          if (key !== null && known?.get(key) === true) return;
          const error = costLimitError(schema, document, operation, request.variables, maxCost);
          if (error) throw error;
          if (key === null) return;
          if (!known) verdicts.set(operation, (known = new Map()));
          if (known.size >= REMEMBERED_VARIABLE_SETS) known.clear();
          known.set(key, true);
        },
      };
    },
  };
}
