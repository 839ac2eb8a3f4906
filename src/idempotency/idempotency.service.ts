import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Clock, ConflictError, ErrorReason, StoreUnavailableError, ValidationFailedError } from '@app/common';
import type { TransactPart } from '@app/dynamo';
import { AppConfig } from '../config/app-config';
import { IdempotencyKeyTakenError, IdempotencyRecord, IdempotencyRepository } from './idempotency.repository';

/** Keys are part of a DynamoDB key (at most 2048 bytes); anything this long is not a retry token. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** How long a retry waits for a first request that is still in progress. */
const IN_PROGRESS_WAIT_MS = 2_000;
const IN_PROGRESS_POLL_MS = 100;

/** One idempotent call: the same caller and key with the same operation and input is the same request. */
export interface IdempotentCall {
  /** Whose key space: the user id for GraphQL mutations. */
  caller: string;
  /** Absent: the call is not idempotent and simply runs. */
  key?: string | null;
  operation: string;
  input: unknown;
}

export interface IdempotentSteps<T, R> {
  /**
   * Does the work once. `remember(result)` is the record to write in the work's own DynamoDB
   * transaction (so the change and its record exist together or not at all); it is undefined when
   * the call has no key.
   */
  execute(remember?: (result: R) => TransactPart): Promise<T>;
  /**
   * Turns the stored result of the first request into this request's answer. Null when the first
   * request was undone (then this one runs). `stillStored` tells whether the record still exists,
   * for results that appear in several steps (a series written in chunks).
   */
  replay(result: R, stillStored: () => Promise<boolean>): Promise<T | null>;
}

/** A conflict about the key itself: reused for another request, or its first request still running. */
function keyConflict(message: string, reason: ErrorReason): ConflictError {
  return new ConflictError(message, { reason, field: 'idempotencyKey' });
}

/**
 * Idempotent mutations for every feature: a retry with the same key returns the first result
 * instead of acting twice, even when the retries race; the same key with another input is
 * CONFLICT. Records expire after IDEMPOTENCY_TTL_HOURS.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly records: IdempotencyRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** For work that is one DynamoDB transaction: the record is written inside it. */
  async run<T, R>(call: IdempotentCall, steps: IdempotentSteps<T, R>): Promise<T> {
    if (!call.key) return steps.execute();
    const key = checkKey(call.key);
    const print = fingerprint(call.operation, call.input);
    const earlier = await this.replay(call, key, print, steps);
    if (earlier) return earlier.value;
    const remember = (result: R): TransactPart =>
      this.records.part(
        call.caller,
        key,
        { operation: call.operation, fingerprint: print, state: 'COMPLETED', result },
        this.expiresAt(),
        this.clock.now(),
      );
    try {
      return await steps.execute(remember);
    } catch (err) {
      // The store is away: asking it for a winner would only wait out a second deadline.
      if (err instanceof StoreUnavailableError) throw err;
      // A concurrent request with the same key may have won: its record fails our transaction
      // (IdempotencyKeyTakenError), or its effects already failed our pre-checks (a domain error,
      // e.g. the slot it took). Either way its result is the answer, if it exists.
      const winner = await this.replay(call, key, print, steps);
      if (winner) return winner.value;
      if (err instanceof IdempotencyKeyTakenError)
        throw keyConflict('The first request with this key failed; retry', 'IDEMPOTENCY_KEY_FAILED');
      throw err;
    }
  }

  /**
   * For work outside one DynamoDB transaction (a MongoDB insert, an upload, a payment provider):
   * the key is claimed first, the work done, then its result stored. A retry during the work
   * waits briefly for it; a failed attempt releases the key so a retry can run again.
   */
  async runStandalone<T, R>(
    call: IdempotentCall,
    steps: { execute(): Promise<T>; resultOf(value: T): R; replay(result: R): Promise<T | null> },
  ): Promise<T> {
    if (!call.key) return steps.execute();
    const key = checkKey(call.key);
    const print = fingerprint(call.operation, call.input);
    const replaySteps = { replay: (r: R) => steps.replay(r), execute: () => steps.execute() };
    const earlier = await this.replay(call, key, print, replaySteps);
    if (earlier) return earlier.value;
    const claimed = await this.records.claim(
      call.caller,
      key,
      { operation: call.operation, fingerprint: print, state: 'PENDING' },
      this.expiresAt(),
      this.clock.now(),
    );
    if (!claimed) {
      const winner = await this.replay(call, key, print, replaySteps);
      if (winner) return winner.value;
      throw keyConflict('The first request with this key failed; retry', 'IDEMPOTENCY_KEY_FAILED');
    }
    let value: T;
    try {
      value = await steps.execute();
    } catch (err) {
      await this.records.delete(call.caller, key);
      throw err;
    }
    await this.records.complete(call.caller, key, steps.resultOf(value));
    return value;
  }

  /** Forgets a key whose work was undone, so a retry runs anew. */
  forget(caller: string, key: string): Promise<void> {
    return this.records.delete(caller, key);
  }

  private async replay<T, R>(
    call: IdempotentCall,
    key: string,
    print: string,
    steps: Pick<IdempotentSteps<T, R>, 'replay'>,
  ): Promise<{ value: T } | null> {
    const deadline = this.clock.now().getTime() + IN_PROGRESS_WAIT_MS;
    for (;;) {
      const record = await this.records.get(call.caller, key, this.clock.now());
      if (!record) return null;
      checkSameRequest(record, call.operation, print);
      if (record.state === 'COMPLETED') {
        const stillStored = async () => (await this.records.get(call.caller, key, this.clock.now())) !== null;
        const value = await steps.replay(record.result as R, stillStored);
        return value === null ? null : { value };
      }
      if (this.clock.now().getTime() >= deadline) {
        throw keyConflict(
          'The first request with this key is still in progress; retry shortly',
          'IDEMPOTENCY_KEY_IN_PROGRESS',
        );
      }
      await new Promise((r) => setTimeout(r, IN_PROGRESS_POLL_MS));
    }
  }

  private expiresAt(): number {
    return Math.floor(this.clock.now().getTime() / 1000) + this.config.IDEMPOTENCY_TTL_HOURS * 3600;
  }
}

function checkKey(key: string): string {
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw ValidationFailedError.field(
      'idempotencyKey',
      `idempotencyKey must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
    );
  }
  return key;
}

function checkSameRequest(record: IdempotencyRecord, operation: string, print: string): void {
  if (record.operation !== operation || record.fingerprint !== print) {
    throw keyConflict('This idempotency key was already used for a different request', 'IDEMPOTENCY_KEY_REUSED');
  }
}

/** Fingerprint of a mutation's input: the same key with different input is a client bug (CONFLICT). */
export function fingerprint(operation: string, input: unknown): string {
  return createHash('sha256').update(operation).update(JSON.stringify(input)).digest('base64url');
}
