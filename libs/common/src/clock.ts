/**
 * The time, as services see it. Production uses the system clock; tests pass a clock they can move
 * forward (AppModule.forRoot({ clock })) to reach "after the lesson ended" or "past the expiry"
 * without waiting.
 */
export class Clock {
  now(): Date {
    // The one place that reads the system clock for the application.
    // eslint-disable-next-line no-restricted-syntax
    return new Date();
  }
}
