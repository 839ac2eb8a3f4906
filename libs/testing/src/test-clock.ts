import { Clock } from '@app/common';

/** A clock that runs with real time but can be moved forward. */
export class TestClock extends Clock {
  private offsetMs = 0;

  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Back to real time (for tests that visit the future briefly). */
  reset(): void {
    this.offsetMs = 0;
  }
}
