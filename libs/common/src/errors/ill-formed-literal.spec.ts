import { GraphQLError, parse } from 'graphql';
import { illFormedLiteralProblem } from './ill-formed-literal';

const parseError = (query: string): GraphQLError => {
  try {
    parse(query);
  } catch (err) {
    return err as GraphQLError;
  }
  throw new Error('parsed');
};

describe('illFormedLiteralProblem', () => {
  it.each([
    ['{ a(x: "x\\ud800") }', 'x'],
    ['{ a(x: "x\\u{DC00}") }', 'x'],
    ['{ a(x: "x\ud800") }', 'x'],
    ['mutation { m(input: { name: "ok", tags: ["a", "b\\ud83d"] }) { id } }', 'input.tags.1'],
    ['{ a(x: "\\ud800", y: "\\udc00") { b(z: "ok") } }', 'x'],
    ['query($v: String = "\\ud800") { a(x: $v) }', '$v'],
  ])('%s names %s', (query, field) => {
    expect(illFormedLiteralProblem(parseError(query))?.field).toBe(field);
  });

  it.each(['{ a(x: "\\u12G4") }', '{ a(x: "x) }', '{ a(x: 1 }', '{ a(x: "\ud800"'])(
    'leaves other syntax errors alone: %s',
    (query) => expect(illFormedLiteralProblem(parseError(query))).toBeNull(),
  );
});
