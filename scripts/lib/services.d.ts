/** Types of services.js for the TypeScript tests and benchmarks. */
import type { ChildProcess } from 'node:child_process';

export interface StartedService {
  name: 'moto' | 'mongodb' | 'redis' | 'localstripe' | 'smtp' | 'speechmatics';
  /** The local Speechmatics server's API key. */
  apiKey?: string;
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
  persistent?: boolean;
}

export class MissingPrerequisite extends Error {}
export class PortInUse extends Error {}
export function isOneLine(err: unknown): boolean;

export const ROOT: string;
export const LOCAL: string;

export function startMoto(opts?: StartOptions): Promise<StartedService>;
export function startMongo(opts?: StartOptions): Promise<StartedService>;
export function startRedis(opts?: StartOptions): Promise<StartedService | null>;
export function startLocalstripe(opts?: StartOptions): Promise<StartedService>;
export function startMailCatcher(opts?: StartOptions & { dir?: string }): Promise<StartedService & { dir: string }>;
export const MAIL_DIR: string;
export function startSpeechmatics(opts?: StartOptions): Promise<StartedService>;
export function stopService(
  svc: { pid: number; child?: ChildProcess } | null | undefined,
  opts?: { graceMs?: number },
): Promise<void>;
export function stopLeftovers(opts?: {
  log?: (line: string) => void;
}): Promise<Array<{ name: string; pid: number; port: number }>>;
export function upAll(opts?: {
  ports?: { moto?: number; mongo?: number; redis?: number; stripe?: number; smtp?: number; speechmatics?: number };
  mailDir?: string;
  detached?: boolean;
  unref?: boolean;
  env?: NodeJS.ProcessEnv;
  requireRedis?: boolean;
  persistent?: boolean;
}): Promise<{ vars: Record<string, string>; started: StartedService[] }>;
export function freePort(): Promise<number>;
export function portOpen(port: number, host?: string): Promise<boolean>;
