import sharp from 'sharp';

/** Pleasant pairs of colours for the demo portraits' gradients. */
const PALETTES: Array<[string, string]> = [
  ['#f6d365', '#fda085'],
  ['#84fab0', '#8fd3f4'],
  ['#a18cd1', '#fbc2eb'],
  ['#fccb90', '#d57eeb'],
  ['#e0c3fc', '#8ec5fc'],
  ['#43e97b', '#38f9d7'],
  ['#fa709a', '#fee140'],
  ['#30cfd0', '#330867'],
  ['#5ee7df', '#b490ca'],
  ['#ff9a9e', '#fecfef'],
];

/**
 * A demo teacher's portrait: a diagonal gradient with their initials, 800 × 800 JPEG, made with
 * sharp at seed time (nothing is downloaded). Deterministic per name.
 */
export function demoPortrait(displayName: string): Promise<Buffer> {
  const initials = displayName
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase())
    .slice(0, 2)
    .join('');
  let hash = 0;
  for (const ch of displayName) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  const [from, to] = PALETTES[hash % PALETTES.length];
  const escape = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/>
    </linearGradient></defs>
    <rect width="800" height="800" fill="url(#g)"/>
    <circle cx="400" cy="400" r="250" fill="#ffffff" fill-opacity="0.18"/>
    <text x="400" y="400" dy="0.35em" text-anchor="middle" font-family="DejaVu Sans, Helvetica, Arial, sans-serif"
      font-size="260" font-weight="bold" fill="#ffffff">${escape(initials)}</text>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}
