import { Query, Resolver } from '@nestjs/graphql';
import { Public } from '../auth/guards/auth.decorators';

@Resolver()
export class SystemResolver {
  /** The server's clock, so clients can correct for device clock skew when showing bookable times. */
  @Public()
  @Query(() => Date, { description: "The server's current time (UTC)." })
  serverTime(): Date {
    return new Date();
  }
}
