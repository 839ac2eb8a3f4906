import { ValidateBy, ValidationOptions } from 'class-validator';

/** The longest message, in characters (Unicode code points: an emoji counts once). */
export const MAX_TEXT_CHARACTERS = 4000;

export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** A message text: a string of at most MAX_TEXT_CHARACTERS characters, stored exactly as written. */
export const IsChatText = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isChatText',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && characterCount(value) <= MAX_TEXT_CHARACTERS,
        defaultMessage: (args) =>
          `${args?.property ?? 'text'} must be text of at most ${MAX_TEXT_CHARACTERS.toLocaleString('en-US')} characters`,
      },
    },
    options,
  );

/** Whether a text says anything (not only spaces and line breaks). */
export const isBlank = (text: string | undefined | null) => !text || text.trim().length === 0;
