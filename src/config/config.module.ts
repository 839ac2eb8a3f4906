import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';
import { loadConfig } from './load-config';

/** Provides the validated `AppConfig` everywhere; `overrides` let tests point one server at its own table and database. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(overrides: Record<string, string | undefined> = {}): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useFactory: () => loadConfig(overrides) }],
      exports: [AppConfig],
    };
  }
}
