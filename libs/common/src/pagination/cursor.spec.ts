import { ValidationFailedError } from '../errors/domain-errors';
import { decodeAfter, decodeCursor, encodeCursor, InvalidCursorError, MAX_CURSOR_LENGTH } from './cursor';

describe('cursor', () => {
  it('round-trips a payload through an opaque base64url string', () => {
    const payload = { start: '2024-03-01T10:00:00.000Z', id: '01HQ3Z6X9Y', n: 42, tags: ['a', 'é'] };
    const cursor = encodeCursor(payload);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain(payload.id); // opaque: not the raw key
    expect(decodeCursor<typeof payload>(cursor)).toEqual(payload);
  });

  it('carries a format version in the envelope', () => {
    const raw = JSON.parse(Buffer.from(encodeCursor({ id: 'x' }), 'base64url').toString('utf8'));
    expect(raw).toEqual({ v: 1, p: { id: 'x' } });
  });

  it('refuses to encode a non-object payload', () => {
    expect(() => encodeCursor(null as unknown as object)).toThrow(TypeError);
    expect(() => encodeCursor([1, 2])).toThrow(TypeError);
  });

  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
  const garbage: Array<[string, string]> = [
    ['empty string', ''],
    ['not base64url', 'not a cursor!'],
    ['standard base64 padding', `${b64('{"v":1,"p":{}}')}==`],
    ['non-canonical trailing bits', `${encodeCursor({ id: 'x' })}A`],
    ['base64 of non-JSON', b64('hello world')],
    ['JSON that is not an object', b64('"just a string"')],
    ['JSON array', b64('[1,2,3]')],
    ['JSON null', b64('null')],
    ['missing version', b64('{"p":{"id":"x"}}')],
    ['wrong version', b64('{"v":2,"p":{"id":"x"}}')],
    ['version as string', b64('{"v":"1","p":{"id":"x"}}')],
    ['payload missing', b64('{"v":1}')],
    ['payload not an object', b64('{"v":1,"p":7}')],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64url')],
    ['oversized', 'A'.repeat(MAX_CURSOR_LENGTH + 4)],
  ];

  it.each(garbage)('rejects %s with InvalidCursorError on field "after"', (_label, cursor) => {
    let caught: unknown;
    try {
      decodeCursor(cursor);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidCursorError);
    expect(caught).toBeInstanceOf(Error);
    expect((caught as InvalidCursorError).field).toBe('after');
    expect((caught as InvalidCursorError).name).toBe('InvalidCursorError');
    expect((caught as InvalidCursorError).code).toBe('BAD_USER_INPUT');
  });

  it('rejects a non-string cursor', () => {
    expect(() => decodeCursor(123 as unknown as string)).toThrow(InvalidCursorError);
    expect(() => decodeCursor(undefined as unknown as string)).toThrow(InvalidCursorError);
  });
});

describe('decodeAfter', () => {
  it('returns undefined without a cursor and the payload of ours', () => {
    expect(decodeAfter(undefined)).toBeUndefined();
    expect(decodeAfter(null)).toBeUndefined();
    expect(decodeAfter<{ id: string }>(encodeCursor({ id: 'x' }))).toEqual({ id: 'x' });
  });

  it('answers BAD_USER_INPUT naming `after` for garbage or a payload that fails the check', () => {
    for (const bad of [
      () => decodeAfter('nope!'),
      () => decodeAfter<{ id: unknown }>(encodeCursor({ id: 1 }), (p) => typeof p.id === 'string'),
    ]) {
      expect(bad).toThrow(ValidationFailedError);
      try {
        bad();
      } catch (err) {
        expect((err as ValidationFailedError).fields).toEqual([
          { field: 'after', message: 'after is not a cursor from this list' },
        ]);
      }
    }
  });
});
