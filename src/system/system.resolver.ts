import { Query, Resolver } from '@nestjs/graphql';

@Resolver()
export class SystemResolver {
  /** The server's clock, so clients can correct for device clock skew when showing bookable times. */
  @Query(() => Date, { description: "The server's current time (UTC)." })
  serverTime(): Date {
    return new Date();
  }
}
