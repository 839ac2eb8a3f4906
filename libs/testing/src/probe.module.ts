import { Module } from '@nestjs/common';
import { Args, Context, Field, InputType, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { IsEmail, IsInt, Max, Min } from 'class-validator';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { ServiceUnavailableError } from '@app/common';
import { Public } from '../../../src/auth/guards/auth.decorators';
import type { GraphQLContext } from '../../../src/graphql/graphql-context';

@InputType()
class ProbeInput {
  @Field()
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  email: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(10)
  count: number;
}

@ObjectType()
class ProbeNode {
  constructor(readonly level: number) {}

  @Field(() => Int)
  get depth(): number {
    return this.level;
  }

  @Field(() => ProbeNode)
  get child(): ProbeNode {
    return new ProbeNode(this.level + 1);
  }

  @Field(() => [ProbeNode])
  get children(): ProbeNode[] {
    return Array.from({ length: 3 }, () => new ProbeNode(this.level + 1));
  }
}

let slowInFlight = 0;

/**
 * Test-only operations mounted beside the real features: they drive the real pipeline (errors,
 * validation, loaders, shutdown) without adding anything to the production schema.
 */
@Public()
@Resolver()
class ProbeResolver {
  constructor(@InjectConnection() private readonly mongo: Connection) {}

  /** One MongoDB round trip, for store-call metrics. */
  @Query(() => Int)
  async probeMongo(): Promise<number> {
    return this.mongo.collection('probe').countDocuments({});
  }

  @Query(() => String)
  probeFailure(): string {
    throw new Error('connection to db-internal.example:5432 refused (password=hunter2)');
  }

  /** What a request sees when a store is down (the faults work maps real outages to this error). */
  @Query(() => String)
  probeUnavailable(): string {
    throw new ServiceUnavailableError();
  }

  @Mutation(() => Int)
  probeValidate(@Args('input') input: ProbeInput): number {
    return input.count;
  }

  @Query(() => Int)
  async probeSlow(@Args('ms', { type: () => Int }) ms: number): Promise<number> {
    slowInFlight++;
    try {
      await new Promise((resolve) => setTimeout(resolve, ms));
    } finally {
      slowInFlight--;
    }
    return ms;
  }

  /** How many probeSlow calls are running now (a test waits until the server holds all it sent). */
  @Query(() => Int)
  probeSlowInFlight(): number {
    return slowInFlight;
  }

  /** Loads `count` keys (some repeated) through the request's DynamoDB loader; returns how many exist. */
  @Query(() => Int)
  async probeLoad(@Args('count', { type: () => Int }) count: number, @Context() ctx: GraphQLContext): Promise<number> {
    const keys = Array.from({ length: count }, (_, i) => ({ PK: `PROBE#${i % 150}`, SK: 'PROBE' }));
    const items = await Promise.all(keys.map((k) => ctx.loaders.dynamoItems.load(k)));
    return items.filter(Boolean).length;
  }

  /** A deep, wide object graph for depth/cost/alias limit tests. */
  @Query(() => ProbeNode)
  probeTree(): ProbeNode {
    return new ProbeNode(0);
  }
}

@Module({ providers: [ProbeResolver] })
export class ProbeModule {}
