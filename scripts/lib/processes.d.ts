/** Types of processes.js for the TypeScript tests and benchmarks. */
export function alive(pid: number): boolean;
export function commandLine(pid: number): string | null;
export function startTicks(pid: number): string | null;
export function rssBytes(pid: number): number | null;
export function isSameProcess(p: { pid: number; startTicks?: string | null; commandIncludes?: string[] }): boolean;
