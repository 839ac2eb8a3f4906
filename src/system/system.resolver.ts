import { Query, Resolver } from '@nestjs/graphql';
import { Clock } from '@app/common';
import { Public } from '../auth/guards/auth.decorators';

@Resolver()
export class SystemResolver {
  constructor(private readonly clock: Clock) {}

  /** The server's clock, so clients can correct for device clock skew when showing bookable times. */
  @Public()
  @Query(() => Date, { description: "The server's current time (UTC)." })
  serverTime(): Date {
    return this.clock.now();
  }
}
