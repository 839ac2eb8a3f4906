import { majorScale, midiOf, SHORT_LESSON } from '@app/testing/lesson-audio';
import { keyOfProfile } from './key';

/** A pitch-class profile (C first) from notes and their lengths in beats. */
function profileOf(notes: Array<[string, number]>): number[] {
  const pcp = new Array<number>(12).fill(0);
  for (const [note, beats] of notes) pcp[midiOf(note) % 12] += beats;
  return pcp;
}

describe('keyOfProfile (Temperley profiles, Pearson correlation over 24 keys)', () => {
  it('names the key of the fixture melody and of major scales', () => {
    const melody = SHORT_LESSON.find((p) => p.kind === 'melody');
    if (melody?.kind !== 'melody') throw new Error('the short lesson has a melody');
    const d = keyOfProfile(profileOf(melody.notes.map(([n, beats]) => [n, beats])));
    expect(d?.key).toBe(melody.key);
    expect(d!.strength).toBeGreaterThan(0.5);
    expect(d!.strength).toBeLessThanOrEqual(1);

    for (const [tonic, key] of [
      ['G3', 'G major'],
      ['Bb3', 'Bb major'],
      ['F#3', 'F# major'],
      ['Eb4', 'Eb major'],
    ]) {
      expect(keyOfProfile(profileOf(majorScale(tonic).map((n) => [n, 1])))?.key).toBe(key);
    }
  });

  it('tells a minor melody from its relative major', () => {
    // A harmonic minor, tonic and dominant stressed: the G# rules out C major.
    const aMinor = profileOf([
      ['A3', 3], ['B3', 1], ['C4', 2], ['D4', 1], ['E4', 3], ['F4', 1], ['G#4', 2], ['A4', 3], ['E4', 2], ['C4', 1],
    ]); // prettier-ignore
    expect(keyOfProfile(aMinor)?.key).toBe('A minor');
  });

  it('gives no key for fewer than four pitch classes or silence', () => {
    expect(keyOfProfile(profileOf([['A4', 8]]))).toBeNull();
    expect(
      keyOfProfile(
        profileOf([
          ['C4', 2],
          ['E4', 2],
          ['G4', 2],
        ]),
      ),
    ).toBeNull();
    expect(keyOfProfile(new Array<number>(12).fill(0))).toBeNull();
  });
});
