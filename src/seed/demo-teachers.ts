import { LessonFormat } from '../teachers/teacher-scheduling';
import { SkillLevel } from '../teachers/teacher.types';

/**
 * About fifty published demo teachers around the world (real city coordinates, local currencies
 * and time zones), so that discovery has something to find from the first start. Each gets a
 * TEACHER login `teacher.NN@demo.takesessions.test` with the demo password.
 */
export interface DemoTeacher {
  email: string;
  displayName: string;
  slug: string;
  timeZone: string;
  instruments: Array<{ name: string; levels: SkillLevel[] }>;
  genres: string[];
  languages: string[];
  formats: LessonFormat[];
  location: { city: string; region: string; country: string; latitude: number; longitude: number };
  /** Price of a 60-minute lesson in minor units of `currency`; 30 and 90 minutes are derived. */
  hourlyMinor: number;
  currency: string;
  headline: string;
}

const L: Record<string, SkillLevel[]> = {
  B: [SkillLevel.BEGINNER],
  BI: [SkillLevel.BEGINNER, SkillLevel.INTERMEDIATE],
  IA: [SkillLevel.INTERMEDIATE, SkillLevel.ADVANCED],
  BIA: [SkillLevel.BEGINNER, SkillLevel.INTERMEDIATE, SkillLevel.ADVANCED],
};
const F: Record<string, LessonFormat[]> = {
  O: [LessonFormat.ONLINE],
  OS: [LessonFormat.ONLINE, LessonFormat.TEACHER_STUDIO],
  OH: [LessonFormat.ONLINE, LessonFormat.STUDENT_HOME],
  S: [LessonFormat.TEACHER_STUDIO],
  H: [LessonFormat.STUDENT_HOME],
  SH: [LessonFormat.TEACHER_STUDIO, LessonFormat.STUDENT_HOME],
};

type Row = [
  name: string,
  instruments: string,
  genres: string,
  languages: string,
  formats: string,
  city: string,
  region: string,
  country: string,
  latitude: number,
  longitude: number,
  timeZone: string,
  currency: string,
  hourlyMinor: number,
  headline: string,
];

// prettier-ignore
const ROWS: Row[] = [
  ['Amelia Hartmann', 'Piano:BIA', 'Classical,Romantic', 'de,en', 'OS', 'Berlin', 'Berlin', 'DE', 52.52, 13.405, 'Europe/Berlin', 'EUR', 5500, 'Concert pianist teaching technique and musicality'],
  ['Jonas Bächler', 'Guitar:BI', 'Rock,Blues', 'de,en', 'OH', 'Hamburg', 'Hamburg', 'DE', 53.5511, 9.9937, 'Europe/Berlin', 'EUR', 4500, 'Blues and rock guitar, riffs from day one'],
  ['Lena Fischer', 'Violin:BIA', 'Classical,Baroque', 'de', 'S', 'Munich', 'Bavaria', 'DE', 48.1351, 11.582, 'Europe/Berlin', 'EUR', 6000, 'Baroque and classical violin in my Schwabing studio'],
  ['Mateo Fernández', 'Guitar:BIA', 'Flamenco,Bachata', 'es,en', 'OS', 'Madrid', 'Community of Madrid', 'ES', 40.4168, -3.7038, 'Europe/Madrid', 'EUR', 4000, 'Flamenco rhythm and bachata guitar'],
  ['Lucía Morales', 'Voice:BI', 'Pop,Latin', 'es', 'O', 'Barcelona', 'Catalonia', 'ES', 41.3874, 2.1686, 'Europe/Madrid', 'EUR', 4200, 'Find your voice: pop and Latin singing'],
  ['Camille Laurent', 'Piano:BI', 'Jazz,Chanson', 'fr,en', 'OS', 'Paris', 'Île-de-France', 'FR', 48.8566, 2.3522, 'Europe/Paris', 'EUR', 6500, 'Jazz piano and French chanson'],
  ['Hugo Lefèvre', 'Cello:IA', 'Classical', 'fr', 'S', 'Lyon', 'Auvergne-Rhône-Alpes', 'FR', 45.764, 4.8357, 'Europe/Paris', 'EUR', 5000, 'Cello for advancing players and conservatory candidates'],
  ['Giulia Romano', 'Voice:BIA', 'Opera,Classical', 'it,en', 'OS', 'Milan', 'Lombardy', 'IT', 45.4642, 9.19, 'Europe/Rome', 'EUR', 5500, 'Bel canto technique from a La Scala chorister'],
  ['Marco Bianchi', 'Drums:BI', 'Rock,Funk', 'it', 'SH', 'Rome', 'Lazio', 'IT', 41.9028, 12.4964, 'Europe/Rome', 'EUR', 4000, 'Groove-first drum lessons'],
  ['Sanne de Vries', 'Saxophone:BI', 'Jazz,Funk', 'nl,en', 'OS', 'Amsterdam', 'North Holland', 'NL', 52.3676, 4.9041, 'Europe/Amsterdam', 'EUR', 5000, 'Alto and tenor sax, jazz standards and funk'],
  ['Oliver Bennett', 'Guitar:BIA', 'Indie,Rock', 'en', 'OH', 'London', 'England', 'GB', 51.5074, -0.1278, 'Europe/London', 'GBP', 4500, 'Electric and acoustic guitar for indie songwriters'],
  ['Charlotte Evans', 'Flute:BI', 'Classical,Folk', 'en', 'S', 'Manchester', 'England', 'GB', 53.4808, -2.2426, 'Europe/London', 'GBP', 3500, 'Flute from first notes to grade 8'],
  ['Siobhán Murphy', 'Fiddle:BIA', 'Irish Folk,Celtic', 'en,ga', 'OS', 'Dublin', 'Leinster', 'IE', 53.3498, -6.2603, 'Europe/Dublin', 'EUR', 4500, 'Irish fiddle tunes by ear and by ornament'],
  ['Erik Lindqvist', 'Bass guitar:BI', 'Jazz,Pop', 'sv,en', 'O', 'Stockholm', 'Stockholm County', 'SE', 59.3293, 18.0686, 'Europe/Stockholm', 'SEK', 50000, 'Electric bass: locking in with the drummer'],
  ['Ingrid Halvorsen', 'Piano:BI', 'Classical,Pop', 'no,en', 'OH', 'Oslo', 'Oslo', 'NO', 59.9139, 10.7522, 'Europe/Oslo', 'NOK', 60000, 'Relaxed piano lessons for adults and children'],
  ['Mikkel Jensen', 'Trumpet:BIA', 'Jazz,Classical', 'da,en', 'S', 'Copenhagen', 'Capital Region', 'DK', 55.6761, 12.5683, 'Europe/Copenhagen', 'DKK', 45000, 'Trumpet tone, range and improvisation'],
  ['Katarzyna Nowak', 'Piano:IA', 'Classical,Romantic', 'pl,en', 'OS', 'Warsaw', 'Masovia', 'PL', 52.2297, 21.0122, 'Europe/Warsaw', 'PLN', 18000, 'Chopin specialist preparing competition pianists'],
  ['Tomáš Dvořák', 'Violin:BI', 'Classical,Folk', 'cs,en', 'O', 'Prague', 'Prague', 'CZ', 50.0755, 14.4378, 'Europe/Prague', 'CZK', 90000, 'Violin with Czech folk tunes'],
  ['Eszter Kovács', 'Cello:BIA', 'Classical,Chamber', 'hu,en,de', 'S', 'Budapest', 'Budapest', 'HU', 47.4979, 19.0402, 'Europe/Budapest', 'HUF', 1200000, 'Cello and chamber music coaching'],
  ['Lukas Gruber', 'Accordion:BI', 'Folk,Tango', 'de', 'H', 'Vienna', 'Vienna', 'AT', 48.2082, 16.3738, 'Europe/Vienna', 'EUR', 4500, 'Accordion lessons at your home in Vienna'],
  ['Noah Keller', 'Drums:BIA', 'Jazz,Rock', 'de,fr,en', 'OS', 'Zurich', 'Zurich', 'CH', 47.3769, 8.5417, 'Europe/Zurich', 'CHF', 9000, 'Drum kit from rock beats to jazz brushes'],
  ['Inês Carvalho', 'Guitar:BI', 'Fado,Bossa Nova', 'pt,en', 'O', 'Lisbon', 'Lisbon', 'PT', 38.7223, -9.1393, 'Europe/Lisbon', 'EUR', 3500, 'Fado and bossa nova guitar online'],
  ['Nikos Papadopoulos', 'Bouzouki:BI', 'Greek Folk,Rebetiko', 'el,en', 'S', 'Athens', 'Attica', 'GR', 37.9838, 23.7275, 'Europe/Athens', 'EUR', 3000, 'Bouzouki and rebetiko in Athens'],
  ['Emre Yılmaz', 'Oud:BIA', 'Turkish Classical,Folk', 'tr,en', 'OS', 'Istanbul', 'Istanbul', 'TR', 41.0082, 28.9784, 'Europe/Istanbul', 'TRY', 150000, 'Oud and makam from Istanbul'],
  ['Emily Carter', 'Piano:BIA', 'Jazz,Classical', 'en', 'OS', 'New York', 'New York', 'US', 40.7128, -74.006, 'America/New_York', 'USD', 9000, 'Juilliard-trained pianist: classical and jazz'],
  ['Marcus Williams', 'Saxophone:IA', 'Jazz,Soul', 'en', 'SH', 'Brooklyn', 'New York', 'US', 40.6782, -73.9442, 'America/New_York', 'USD', 8000, 'Saxophone improvisation for working musicians'],
  ['Grace Thompson', 'Voice:BI', 'Gospel,Soul', 'en', 'O', 'Chicago', 'Illinois', 'US', 41.8781, -87.6298, 'America/Chicago', 'USD', 6500, 'Gospel and soul singing, breath and belt'],
  ['Diego Ramírez', 'Guitar:BIA', 'Latin,Bachata,Salsa', 'es,en', 'OH', 'Los Angeles', 'California', 'US', 34.0522, -118.2437, 'America/Los_Angeles', 'USD', 7000, 'Latin guitar: bachata, salsa and bolero'],
  ['Hannah Brooks', 'Banjo:BI', 'Bluegrass,Country', 'en', 'S', 'Nashville', 'Tennessee', 'US', 36.1627, -86.7816, 'America/Chicago', 'USD', 5500, 'Clawhammer and bluegrass banjo'],
  ['Jamal Robinson', 'Drums:BIA', 'Hip Hop,R&B', 'en', 'OS', 'Atlanta', 'Georgia', 'US', 33.749, -84.388, 'America/New_York', 'USD', 6000, 'Pocket drumming for hip hop and R&B'],
  ['Ava Nguyen', 'Violin:BI', 'Classical,Pop', 'en,vi', 'O', 'Seattle', 'Washington', 'US', 47.6062, -122.3321, 'America/Los_Angeles', 'USD', 7500, 'Violin covers of pop songs and classical basics'],
  ['Olivia Tremblay', 'Piano:BI', 'Pop,Classical', 'fr,en', 'OH', 'Montréal', 'Quebec', 'CA', 45.5017, -73.5673, 'America/Toronto', 'CAD', 6000, 'Bilingual piano lessons in Montréal'],
  ['Liam O\'Connor', 'Guitar:BI', 'Folk,Indie', 'en', 'O', 'Toronto', 'Ontario', 'CA', 43.6532, -79.3832, 'America/Toronto', 'CAD', 5500, 'Fingerstyle folk guitar'],
  ['Valentina Cruz', 'Voice:BIA', 'Mariachi,Bolero', 'es', 'S', 'Mexico City', 'Mexico City', 'MX', 19.4326, -99.1332, 'America/Mexico_City', 'MXN', 60000, 'Ranchera, bolero and mariachi voice'],
  ['Rafael Souza', 'Guitar:BIA', 'Bossa Nova,Samba,MPB', 'pt,en', 'OS', 'São Paulo', 'São Paulo', 'BR', -23.5505, -46.6333, 'America/Sao_Paulo', 'BRL', 15000, 'Violão: bossa nova and samba guitar'],
  ['Beatriz Lima', 'Percussion:BI', 'Samba,Forró', 'pt', 'H', 'Rio de Janeiro', 'Rio de Janeiro', 'BR', -22.9068, -43.1729, 'America/Sao_Paulo', 'BRL', 12000, 'Pandeiro and samba percussion'],
  ['Martín Gómez', 'Bandoneon:IA', 'Tango', 'es', 'S', 'Buenos Aires', 'Buenos Aires', 'AR', -34.6037, -58.3816, 'America/Argentina/Buenos_Aires', 'ARS', 2000000, 'Bandoneón for tango musicians'],
  ['Camila Rojas', 'Piano:BI', 'Classical,Latin', 'es,en', 'O', 'Santiago', 'Santiago Metropolitan', 'CL', -33.4489, -70.6693, 'America/Santiago', 'CLP', 25000, 'Piano online from Santiago'],
  ['Yuki Tanaka', 'Koto:BI', 'Traditional,Japanese', 'ja,en', 'S', 'Tokyo', 'Tokyo', 'JP', 35.6762, 139.6503, 'Asia/Tokyo', 'JPY', 6000, 'Koto lessons in a traditional Tokyo studio'],
  ['Haruto Sato', 'Guitar:BIA', 'J-Pop,Rock', 'ja', 'OS', 'Osaka', 'Osaka', 'JP', 34.6937, 135.5023, 'Asia/Tokyo', 'JPY', 5000, 'J-pop and rock guitar'],
  ['Ji-woo Kim', 'Piano:BIA', 'K-Pop,Classical', 'ko,en', 'O', 'Seoul', 'Seoul', 'KR', 37.5665, 126.978, 'Asia/Seoul', 'KRW', 60000, 'K-pop piano arrangements and classical repertoire'],
  ['Mei Lin', 'Guzheng:BI', 'Chinese Traditional', 'zh,en', 'S', 'Singapore', 'Singapore', 'SG', 1.3521, 103.8198, 'Asia/Singapore', 'SGD', 8000, 'Guzheng for beginners and returning players'],
  ['Arjun Mehta', 'Tabla:BIA', 'Hindustani Classical', 'hi,en', 'OS', 'Mumbai', 'Maharashtra', 'IN', 19.076, 72.8777, 'Asia/Kolkata', 'INR', 150000, 'Tabla in the Punjab gharana'],
  ['Priya Raman', 'Violin:BI', 'Carnatic', 'ta,en', 'O', 'Chennai', 'Tamil Nadu', 'IN', 13.0827, 80.2707, 'Asia/Kolkata', 'INR', 120000, 'Carnatic violin online'],
  ['Layla Haddad', 'Oud:BI', 'Arabic Classical', 'ar,en,fr', 'OS', 'Dubai', 'Dubai', 'AE', 25.2048, 55.2708, 'Asia/Dubai', 'AED', 25000, 'Oud and maqam for beginners'],
  ['Thabo Nkosi', 'Guitar:BI', 'Maskandi,Jazz', 'zu,en', 'OH', 'Johannesburg', 'Gauteng', 'ZA', -26.2041, 28.0473, 'Africa/Johannesburg', 'ZAR', 40000, 'Maskandi and jazz guitar'],
  ['Amara Okafor', 'Voice:BIA', 'Afrobeat,Gospel', 'en,yo', 'O', 'Lagos', 'Lagos', 'NG', 6.5244, 3.3792, 'Africa/Lagos', 'NGN', 1500000, 'Afrobeat and gospel vocals'],
  ['Chloe Wilson', 'Ukulele:B', 'Pop,Folk', 'en', 'OH', 'Sydney', 'New South Wales', 'AU', -33.8688, 151.2093, 'Australia/Sydney', 'AUD', 7000, 'Ukulele for absolute beginners'],
  ['Tane Walker', 'Drums:BI', 'Reggae,Rock', 'en,mi', 'S', 'Auckland', 'Auckland', 'NZ', -36.8485, 174.7633, 'Pacific/Auckland', 'NZD', 7000, 'Reggae and rock drums in Auckland'],
  ['Sophie Anderson', 'Cello:BIA', 'Classical,Film', 'en', 'O', 'Melbourne', 'Victoria', 'AU', -37.8136, 144.9631, 'Australia/Melbourne', 'AUD', 8000, 'Cello for film-music lovers'],
];

/** Lower-case ASCII words joined by hyphens: "Jonas Bächler" → "jonas-bachler". */
function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ı/g, 'i')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export const DEMO_TEACHERS: readonly DemoTeacher[] = ROWS.map(
  (
    [
      name,
      instruments,
      genres,
      languages,
      formats,
      city,
      region,
      country,
      latitude,
      longitude,
      timeZone,
      currency,
      hourlyMinor,
      headline,
    ],
    i,
  ) => ({
    email: `teacher.${String(i + 1).padStart(2, '0')}@demo.takesessions.test`,
    displayName: name,
    slug: slugOf(name),
    timeZone,
    instruments: instruments.split(',').map((spec) => {
      const [instrument, levels] = spec.split(':');
      return { name: instrument, levels: L[levels] };
    }),
    genres: genres.split(','),
    languages: languages.split(','),
    formats: F[formats],
    location: { city, region, country, latitude, longitude },
    hourlyMinor,
    currency,
    headline,
  }),
);

/** The profile of the demo teacher login (teacher@demo.takesessions.test). */
export const DEMO_TEACHER_PROFILE: Omit<DemoTeacher, 'email' | 'displayName' | 'timeZone'> = {
  slug: 'clara-whitfield',
  instruments: [
    { name: 'Piano', levels: L.BIA },
    { name: 'Music theory', levels: L.BI },
  ],
  genres: ['Classical', 'Jazz'],
  languages: ['en'],
  formats: F.OS,
  location: { city: 'New York', region: 'New York', country: 'US', latitude: 40.787, longitude: -73.9754 },
  hourlyMinor: 8500,
  currency: 'USD',
  headline: 'Piano and music theory on the Upper West Side',
};

/** Offerings of a demo teacher: 30 and 60 minutes, and 90 for those who teach advanced students. */
export function demoOfferings(t: Pick<DemoTeacher, 'hourlyMinor' | 'currency' | 'instruments'>) {
  const advanced = t.instruments.some((i) => i.levels.includes(SkillLevel.ADVANCED));
  const minutes = advanced ? [30, 60, 90] : [30, 60];
  // 30 minutes cost 55 % of an hour, 90 minutes 145 %, rounded to whole 100 minor units.
  const factor: Record<number, number> = { 30: 0.55, 60: 1, 90: 1.45 };
  return minutes.map((durationMinutes) => ({
    durationMinutes,
    priceMinor: Math.round((t.hourlyMinor * factor[durationMinutes]) / 100) * 100,
    currency: t.currency,
  }));
}
