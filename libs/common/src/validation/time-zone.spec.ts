import { canonicalTimeZone } from './time-zone';

describe('canonicalTimeZone', () => {
  it.each([
    ['america/new_york', 'America/New_York'],
    ['Europe/Berlin', 'Europe/Berlin'],
    ['UTC', 'UTC'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['europe/kyiv', 'Europe/Kyiv'],
  ])('%s → %s', (input, expected) => expect(canonicalTimeZone(input)).toBe(expected));

  it.each(['Mars/Olympus_Mons', '+02:00', '', 'x'.repeat(65), 'Europe/Atlantis'])('rejects %j', (input) =>
    expect(canonicalTimeZone(input)).toBeNull(),
  );
});
