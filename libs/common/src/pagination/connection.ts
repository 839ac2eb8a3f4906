import { Type } from '@nestjs/common';
import { Field, FieldMiddleware, Int, ObjectType } from '@nestjs/graphql';

/** Relay `PageInfo`, shared by every connection in the schema. */
@ObjectType('PageInfo', { description: 'Where a page of a connection stands in the whole list (Relay).' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether items follow this page: ask again with `after: endCursor`.' })
  hasNextPage: boolean;

  @Field(() => Boolean, { description: 'Whether items precede this page (true when `after` was given).' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first edge, null when the page is empty.' })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge, null when the page is empty.' })
  endCursor: string | null;
}

/** One edge of a connection: the node and the opaque cursor that points just after it. */
export interface Edge<T> {
  cursor: string;
  node: T;
}

/** The plain shape every connection resolver returns (see `buildConnection`). */
export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Connections declared with `totalCount` resolve it lazily: the count runs only when a client selects it. */
  totalCount?: () => Promise<number>;
}

export interface PaginatedOptions {
  /** The GraphQL name of the node type: the edge is `${nodeName}Edge` (e.g. `Lesson` → `LessonEdge`). */
  nodeName: string;
  /** Adds `totalCount: Int!` with this description; offer it only where counting is cheap. */
  totalCount?: string;
}

/** Field middleware of `totalCount`: calls the connection's count function when the field is selected. */
const countWhenSelected: FieldMiddleware = async (_ctx, next) => {
  const count: unknown = await next();
  return typeof count === 'function' ? (count as () => Promise<number>)() : count;
};

/** Edge classes already generated, so that `Paginated(X)` twice does not register `XEdge` twice. */
const edgeTypes = new Map<string, Type<Edge<unknown>>>();

function edgeTypeOf<T>(classRef: Type<T>, nodeName: string): Type<Edge<T>> {
  let edge = edgeTypes.get(nodeName);
  if (!edge) {
    @ObjectType(`${nodeName}Edge`, { description: `One ${nodeName} of a page, with its cursor.` })
    class EdgeType implements Edge<T> {
      @Field(() => String, { description: `Opaque cursor of this ${nodeName}: pass it as \`after\` to continue.` })
      cursor: string;

      @Field(() => classRef, { description: `The ${nodeName}.` })
      node: T;
    }
    edge = EdgeType;
    edgeTypes.set(nodeName, edge);
  }
  return edge as Type<Edge<T>>;
}

/**
 * Generic Relay connection type (the NestJS code-first "generics" pattern), named after the
 * domain rather than the model class:
 *
 *     @ObjectType('TeacherConnection', { description: '…' })
 *     export class TeacherConnection extends Paginated(TeacherModel, { nodeName: 'Teacher' }) {}
 *
 * produces `type TeacherConnection { edges: [TeacherEdge!]!, pageInfo: PageInfo! }` and
 * `type TeacherEdge { cursor: String!, node: Teacher! }`.
 */
export function Paginated<T>(classRef: Type<T>, options: PaginatedOptions): Type<Connection<T>> {
  const EdgeType = edgeTypeOf(classRef, options.nodeName);

  @ObjectType({ isAbstract: true })
  abstract class PaginatedType implements Connection<T> {
    @Field(() => [EdgeType], { description: 'The items of this page, in the list order.' })
    edges: Edge<T>[];

    @Field(() => PageInfo, { description: 'Cursors and whether more items follow.' })
    pageInfo: PageInfo;
  }

  if (!options.totalCount) return PaginatedType as Type<Connection<T>>;

  @ObjectType({ isAbstract: true })
  abstract class CountedType extends PaginatedType {
    @Field(() => Int, { description: options.totalCount, middleware: [countWhenSelected] })
    totalCount?: () => Promise<number>;
  }
  return CountedType as Type<Connection<T>>;
}
