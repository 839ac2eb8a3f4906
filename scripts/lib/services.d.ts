/** Types of services.js for the TypeScript tests and benchmarks. */
import type { ChildProcess } from 'node:child_process';

export interface StartedService {
  name: 'moto' | 'mongodb' | 'redis';
  kind?: string;
  pid: number;
  child: ChildProcess;
  port: number;
  url: string;
}

export interface StartOptions {
  port?: number;
  detached?: boolean;
  unref?: boolean;
}

export function startMoto(opts?: StartOptions): Promise<StartedService>;
export function startMongo(opts?: StartOptions): Promise<StartedService>;
export function startRedis(opts?: StartOptions): Promise<StartedService | null>;
export function stopService(
  svc: { pid: number; child?: ChildProcess } | null | undefined,
  opts?: { graceMs?: number },
): Promise<void>;
