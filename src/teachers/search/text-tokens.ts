/**
 * Text normalisation for search without `$text` or collations: every searchable word is stored
 * accent-stripped and lower-cased together with its prefixes, so an equality match on one
 * indexed array answers case-, accent- and prefix-insensitive queries.
 */

/** Shortest prefix stored and searched (one letter would match most of the collection). */
export const MIN_TOKEN_LENGTH = 2;
/** Words are cut here: a longer query word matches on its first MAX_TOKEN_LENGTH characters. */
export const MAX_TOKEN_LENGTH = 24;
/** Query words beyond this many are ignored. */
export const MAX_QUERY_TOKENS = 8;

/** Letters that Unicode decomposition does not reduce to a base letter plus marks. */
const FOLD: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};

/** Lower case without accents: "Bächler" → "bachler", "Straße" → "strasse". */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđðłþıħ]/g, (c) => FOLD[c]);
}

/** The folded words of a text: runs of letters and digits. */
export function wordsOf(text: string): string[] {
  return foldText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A tag (instrument, genre) in comparable form: folded words joined by single spaces. */
export function tagKey(tag: string): string {
  return wordsOf(tag).join(' ');
}

/** Every prefix of `word` from MIN_TOKEN_LENGTH up to its (capped) length. */
export function prefixesOf(word: string): string[] {
  const capped = word.slice(0, MAX_TOKEN_LENGTH);
  const out: string[] = [];
  for (let n = MIN_TOKEN_LENGTH; n <= capped.length; n++) out.push(capped.slice(0, n));
  return out;
}

/** Distinct prefixes of every word of the texts. */
export function prefixTokens(texts: readonly string[]): string[] {
  return [...new Set(texts.flatMap(wordsOf).flatMap(prefixesOf))];
}

/** Distinct whole words (capped) of the texts, at least MIN_TOKEN_LENGTH long. */
export function wholeWords(texts: readonly string[]): string[] {
  return [
    ...new Set(
      texts
        .flatMap(wordsOf)
        .filter((w) => w.length >= MIN_TOKEN_LENGTH)
        .map((w) => w.slice(0, MAX_TOKEN_LENGTH)),
    ),
  ];
}

/** The tokens a query searches for: distinct folded words of 2+ letters, capped in length and number. */
export function queryTokens(text: string): string[] {
  const words = wordsOf(text)
    .filter((w) => w.length >= MIN_TOKEN_LENGTH)
    .map((w) => w.slice(0, MAX_TOKEN_LENGTH));
  return [...new Set(words)].slice(0, MAX_QUERY_TOKENS);
}
