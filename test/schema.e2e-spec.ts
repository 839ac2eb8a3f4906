import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { startTestApp, TestApp } from '@app/testing';

const SCHEMA_FILE = join(__dirname, '..', 'schema.gql');
const HEADER = '# Generated from the code-first resolvers. Do not edit: run `npm run schema:update`.\n\n';

/** Fails when the committed schema.gql differs from what the code generates; UPDATE_SCHEMA=1 rewrites it. */
describe('schema.gql', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('matches the schema generated from the code', () => {
    const generated = HEADER + printSchema(lexicographicSortSchema(t.app.get(GraphQLSchemaHost).schema)) + '\n';
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(SCHEMA_FILE, generated);
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(committed).toBe(generated);
  });
});
