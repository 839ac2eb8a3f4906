/** class-transformer `@Transform` helpers shared by input DTOs. */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
