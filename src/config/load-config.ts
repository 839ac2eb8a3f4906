import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { config as loadDotenv } from 'dotenv';
import { AppConfig } from './app-config';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** One line per variable: its name, what is wrong, and the value received (secrets are not echoed). */
function describe(errors: ValidationError[], raw: Record<string, unknown>): string[] {
  return errors.map((e) => {
    const messages = Object.values(e.constraints ?? {}).map((m) => m.replace(new RegExp(`^${e.property} `), ''));
    const given = raw[e.property];
    const shown =
      /SECRET|PASSWORD|KEY/.test(e.property) || given === undefined ? '' : ` (got ${JSON.stringify(given)})`;
    return `${e.property}: ${e.value === undefined ? 'missing; ' : ''}${messages.join('; ')}${shown}`;
  });
}

/**
 * Reads `.env` (never overriding the real environment), merges `overrides` (tests boot several
 * servers in one process), and fails with every problem listed at once, not the first only.
 */
export function loadConfig(overrides: Record<string, string | undefined> = {}, { readDotenv = true } = {}): AppConfig {
  const fromFile: Record<string, string> = {};
  if (readDotenv) loadDotenv({ processEnv: fromFile, quiet: true });
  const raw = { ...fromFile, ...process.env, ...overrides };
  // Class fields are own properties (ES2022 define semantics), so this lists every setting.
  const known = Object.keys(new AppConfig());
  const picked = Object.fromEntries(Object.entries(raw).filter(([k, v]) => v !== undefined && known.includes(k)));
  const config = plainToInstance(AppConfig, picked, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false });
  if (errors.length > 0) throw new ConfigValidationError(describe(errors, picked));
  return Object.freeze(config);
}
