import { DynamicModule, Module } from '@nestjs/common';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { MongooseModule } from '@nestjs/mongoose';
import { LoggerModule } from 'nestjs-pino';
import { Clock, DateTimeScalar } from '@app/common';
import { mongooseOptions } from '@app/mongo';
import { BookingsModule } from './bookings/bookings.module';
import { BootstrapModule } from './bootstrap/bootstrap.module';
import { ChatModule } from './chat/chat.module';
import { EventsModule } from './events/events.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { JobsModule } from './jobs/jobs.module';
import { ClockModule } from './clock.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { GraphQLOptions } from './graphql/graphql-options';
import { LoadersModule } from './graphql/loaders.module';
import { MediaModule } from './media/media.module';
import { AuthModule } from './auth/auth.module';
import { HealthModule } from './health/health.module';
import { loggerOptions } from './observability/logger-options';
import { NotificationsModule } from './notifications/notifications.module';
import { ObservabilityModule } from './observability/observability.module';
import { PaymentsModule } from './payments/payments.module';
import { MetricsService } from './observability/metrics.service';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RealtimeModule } from './realtime/realtime.module';
import { ReviewsModule } from './reviews/reviews.module';
import { RecordingsModule } from './recordings/recordings.module';
import { SeedModule } from './seed/seed.module';
import { StoresModule } from './stores/stores.module';
import { SystemResolver } from './system/system.resolver';
import { TeachersModule } from './teachers/teachers.module';
import { UsersModule } from './users/users.module';

export interface AppModuleOptions {
  /** Configuration values that win over the environment (tests give each server its own stores). */
  config?: Record<string, string | undefined>;
  /** The clock services read (tests pass one they can move forward). */
  clock?: Clock;
  /** Extra modules mounted beside the features (tests add probes through this). */
  imports?: DynamicModule['imports'];
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(options.config),
        ClockModule.forRoot(options.clock),
        ObservabilityModule,
        LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: loggerOptions }),
        StoresModule,
        LoadersModule,
        MongooseModule.forRootAsync({
          inject: [AppConfig, MetricsService],
          useFactory: (config: AppConfig, metrics: MetricsService) =>
            mongooseOptions({
              uri: config.MONGODB_URI,
              timeoutMs: config.STORE_TIMEOUT_MS,
              onCommand: (name) => metrics.countStoreCall('mongodb', name),
            }),
        }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [LoadersModule],
          useClass: GraphQLOptions,
        }),
        BootstrapModule,
        JobsModule,
        EventsModule,
        IdempotencyModule,
        HealthModule,
        RateLimitModule,
        RealtimeModule,
        UsersModule,
        AuthModule,
        TeachersModule,
        BookingsModule,
        PaymentsModule,
        ReviewsModule,
        RecordingsModule,
        MediaModule,
        NotificationsModule,
        ChatModule,
        SeedModule,
        ...(options.imports ?? []),
      ],
      providers: [DateTimeScalar, SystemResolver],
    };
  }
}
