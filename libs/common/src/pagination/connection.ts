import { Type } from '@nestjs/common';
import { Field, ObjectType } from '@nestjs/graphql';

/** Relay `PageInfo`, shared by every connection in the schema. */
@ObjectType('PageInfo')
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => Boolean)
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
}

/** Edge classes already generated, so that `Paginated(X)` twice does not register `XEdge` twice. */
const edgeTypes = new Map<Type<unknown>, Type<Edge<unknown>>>();

function edgeTypeOf<T>(classRef: Type<T>): Type<Edge<T>> {
  let edge = edgeTypes.get(classRef);
  if (!edge) {
    @ObjectType(`${classRef.name}Edge`)
    class EdgeType implements Edge<T> {
      @Field(() => String)
      cursor: string;

      @Field(() => classRef)
      node: T;
    }
    edge = EdgeType;
    edgeTypes.set(classRef, edge);
  }
  return edge as Type<Edge<T>>;
}

/**
 * Generic Relay connection type (the NestJS code-first "generics" pattern):
 *
 *     @ObjectType()
 *     export class TeacherConnection extends Paginated(Teacher) {}
 *
 * produces `type TeacherConnection { edges: [TeacherEdge!]!, pageInfo: PageInfo! }` and
 * `type TeacherEdge { cursor: String!, node: Teacher! }`.
 */
export function Paginated<T>(classRef: Type<T>): Type<Connection<T>> {
  const EdgeType = edgeTypeOf(classRef);

  @ObjectType({ isAbstract: true })
  abstract class PaginatedType implements Connection<T> {
    @Field(() => [EdgeType])
    edges: Edge<T>[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;
  }

  return PaginatedType as Type<Connection<T>>;
}
