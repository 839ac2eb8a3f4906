/** Types of service-records.js for the TypeScript tests. */
export const DIR: string;
