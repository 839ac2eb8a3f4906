import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Args,
  Field,
  GraphQLSchemaBuilderModule,
  GraphQLSchemaFactory,
  ID,
  ObjectType,
  Query,
  Resolver,
} from '@nestjs/graphql';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { GraphQLSchema, printSchema } from 'graphql';
import { DateTimeScalar } from '../scalars';
import { ConnectionArgs, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageSizeOf } from './connection-args';
import { Paginated } from './connection';

@ObjectType()
class Widget {
  @Field(() => ID)
  id: string;

  @Field(() => Date)
  createdAt: Date;
}

@ObjectType('Gadget')
class GadgetModel {
  @Field(() => ID)
  id: string;
}

@ObjectType()
class WidgetConnection extends Paginated(Widget, { nodeName: 'Widget' }) {}

// A second connection over the same node type must not register WidgetEdge twice.
@ObjectType()
class WidgetSearchConnection extends Paginated(Widget, { nodeName: 'Widget', totalCount: 'Matches in all.' }) {}

// Named after the GraphQL type, not the class: GadgetEdge, not GadgetModelEdge.
@ObjectType()
class GadgetConnection extends Paginated(GadgetModel, { nodeName: 'Gadget' }) {}

@Resolver()
class TestResolver {
  @Query(() => WidgetConnection)
  widgets(@Args() _args: ConnectionArgs): WidgetConnection {
    throw new Error('not called');
  }

  @Query(() => WidgetSearchConnection)
  widgetSearch(@Args() _args: ConnectionArgs): WidgetSearchConnection {
    throw new Error('not called');
  }

  @Query(() => GadgetConnection)
  gadgets(@Args() _args: ConnectionArgs): GadgetConnection {
    throw new Error('not called');
  }
}

/** The SDL of one named type, normalised to single spaces. */
function typeSdl(sdl: string, name: string): string {
  const m = new RegExp(`^type ${name} \\{[^}]*\\}`, 'm').exec(sdl);
  if (!m) throw new Error(`type ${name} not in schema:\n${sdl}`);
  return m[0].replace(/"""[^"]*"""/g, '').replace(/\s+/g, ' ');
}

describe('Paginated / ConnectionArgs in the code-first schema', () => {
  let ctx: INestApplicationContext;
  let schema: GraphQLSchema;
  let sdl: string;

  beforeAll(async () => {
    ctx = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
    schema = await ctx.get(GraphQLSchemaFactory).create([TestResolver], [DateTimeScalar]);
    sdl = printSchema(schema);
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('generates a Connection type with edges and pageInfo (and no totalCount unless asked)', () => {
    expect(typeSdl(sdl, 'WidgetConnection')).toBe(
      'type WidgetConnection { edges: [WidgetEdge!]! pageInfo: PageInfo! }',
    );
    expect(typeSdl(sdl, 'GadgetConnection')).toBe(
      'type GadgetConnection { edges: [GadgetEdge!]! pageInfo: PageInfo! }',
    );
  });

  it('names the edge type after the node type, once per node type', () => {
    expect(typeSdl(sdl, 'WidgetEdge')).toBe('type WidgetEdge { cursor: String! node: Widget! }');
    expect(typeSdl(sdl, 'GadgetEdge')).toBe('type GadgetEdge { cursor: String! node: Gadget! }');
    expect(typeSdl(sdl, 'WidgetSearchConnection')).toContain('edges: [WidgetEdge!]!');
    expect(sdl.match(/^type WidgetEdge /gm)).toHaveLength(1);
    expect(sdl).not.toMatch(/ModelEdge/);
  });

  it('adds totalCount where the connection declares it', () => {
    expect(typeSdl(sdl, 'WidgetSearchConnection')).toBe(
      'type WidgetSearchConnection { edges: [WidgetEdge!]! pageInfo: PageInfo! totalCount: Int! }',
    );
  });

  it('has one shared PageInfo with nullable cursors', () => {
    expect(typeSdl(sdl, 'PageInfo')).toBe(
      'type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }',
    );
    expect(sdl).not.toMatch(/PaginatedType/);
  });

  it('adds first (default 20) and after arguments', () => {
    const field = schema.getQueryType()!.getFields().widgets;
    const first = field.args.find((a) => a.name === 'first')!;
    const after = field.args.find((a) => a.name === 'after')!;
    expect(String(first.type)).toBe('Int');
    expect(first.defaultValue).toBe(DEFAULT_PAGE_SIZE);
    expect(String(after.type)).toBe('String');
  });

  it('maps Date fields to the DateTime scalar', () => {
    expect(typeSdl(sdl, 'Widget')).toBe('type Widget { id: ID! createdAt: DateTime! }');
    expect(sdl).toMatch(/^scalar DateTime/m);
  });
});

describe('ConnectionArgs validation', () => {
  const errorsOf = (plain: object) =>
    validateSync(plainToInstance(ConnectionArgs, plain)).map((e) => [e.property, Object.keys(e.constraints ?? {})]);

  it('accepts an omitted first, the bounds, and a cursor', () => {
    expect(errorsOf({})).toEqual([]);
    expect(errorsOf({ first: 1 })).toEqual([]);
    expect(errorsOf({ first: MAX_PAGE_SIZE, after: 'abc' })).toEqual([]);
  });

  it('rejects first outside 1..100 or not an integer', () => {
    expect(errorsOf({ first: 0 })).toEqual([['first', ['min']]]);
    expect(errorsOf({ first: -5 })).toEqual([['first', ['min']]]);
    expect(errorsOf({ first: MAX_PAGE_SIZE + 1 })).toEqual([['first', ['max']]]);
    expect(errorsOf({ first: 2.5 })).toEqual([['first', ['isInt']]]);
  });

  it('rejects an oversized or non-string after', () => {
    expect(errorsOf({ after: 'A'.repeat(2000) })).toEqual([['after', ['maxLength']]]);
    const [[property, constraints]] = errorsOf({ after: 12 });
    expect(property).toBe('after');
    expect(constraints).toContain('isString');
  });
});

describe('pageSizeOf', () => {
  it('falls back to the default when first is omitted or explicitly null', () => {
    expect(pageSizeOf({})).toBe(DEFAULT_PAGE_SIZE);
    expect(pageSizeOf({ first: null })).toBe(DEFAULT_PAGE_SIZE);
    expect(pageSizeOf({ first: 7 })).toBe(7);
  });
});
