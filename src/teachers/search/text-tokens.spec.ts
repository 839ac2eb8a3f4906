import {
  foldText,
  MAX_QUERY_TOKENS,
  MAX_TOKEN_LENGTH,
  prefixTokens,
  queryTokens,
  tagKey,
  wholeWords,
  wordsOf,
} from './text-tokens';

describe('text tokens', () => {
  it('folds case and accents, including letters that do not decompose', () => {
    expect(foldText('Anna Bächler')).toBe('anna bachler');
    expect(foldText('Zoë Núñez Ångström')).toBe('zoe nunez angstrom');
    expect(foldText('Straße Øresund Łódź Æsir')).toBe('strasse oresund lodz aesir');
    expect(foldText('ＢＡＣＨ')).toBe('bach'); // full-width letters (NFKD)
  });

  it('splits words on anything but letters and digits', () => {
    expect(wordsOf("Liam O'Connor — R&B, J-Pop 2000s")).toEqual(['liam', 'o', 'connor', 'r', 'b', 'j', 'pop', '2000s']);
    expect(tagKey('  Bossa   NOVA ')).toBe('bossa nova');
    expect(tagKey('!!!')).toBe('');
  });

  it('stores every prefix of 2+ letters of every word', () => {
    expect(prefixTokens(['Bächler', 'Jazz'])).toEqual([
      'ba',
      'bac',
      'bach',
      'bachl',
      'bachle',
      'bachler',
      'ja',
      'jaz',
      'jazz',
    ]);
    expect(prefixTokens(['a b'])).toEqual([]);
    const long = 'x'.repeat(40);
    expect(prefixTokens([long]).at(-1)).toHaveLength(MAX_TOKEN_LENGTH);
  });

  it('keeps whole words of 2+ letters, capped like prefixes', () => {
    expect(wholeWords(['Maria Bach', 'a Bach suite'])).toEqual(['maria', 'bach', 'suite']);
  });

  it('turns a query into distinct folded words of 2+ letters, capped in length and number', () => {
    expect(queryTokens('  BÄCH  bach a Jazz ')).toEqual(['bach', 'jazz']);
    expect(queryTokens('x')).toEqual([]);
    expect(queryTokens('y'.repeat(30))).toEqual(['y'.repeat(MAX_TOKEN_LENGTH)]);
    expect(queryTokens('aa bb cc dd ee ff gg hh ii jj')).toHaveLength(MAX_QUERY_TOKENS);
  });

  it('every query word of a profile text matches that profile (query tokens are a subset of stored tokens)', () => {
    const stored = new Set(prefixTokens(['Hannah Bachmann', 'Flute', 'Classical']));
    for (const q of ['hannah', 'BACHM', 'fl', 'classic', 'Flûte'])
      expect(queryTokens(q).every((t) => stored.has(t))).toBe(true);
    expect(queryTokens('bachmanns').every((t) => stored.has(t))).toBe(false);
  });
});
