import type { MongooseModuleFactoryOptions } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

/** Driver chatter that is not a call made by our code; left out of store-call metrics. */
const HANDSHAKE_COMMANDS = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'saslStart',
  'saslContinue',
  'ping',
  'endSessions',
  'buildInfo',
  'getnonce',
]);

export interface MongoConnectionSettings {
  uri: string;
  /** Called once per command our code sends (find, aggregate, insert, ...). */
  onCommand?: (commandName: string) => void;
  serverSelectionTimeoutMS?: number;
}

/**
 * Mongoose options shared by the app and tests: fail fast instead of buffering when the server is
 * away (readiness reports it and requests get SERVICE_UNAVAILABLE), indexes built explicitly by
 * `syncIndexes` rather than on model compile, and driver command monitoring for metrics.
 */
export function mongooseOptions(settings: MongoConnectionSettings): MongooseModuleFactoryOptions {
  return {
    uri: settings.uri,
    autoIndex: false,
    autoCreate: false,
    bufferCommands: false,
    serverSelectionTimeoutMS: settings.serverSelectionTimeoutMS ?? 5000,
    monitorCommands: settings.onCommand !== undefined,
    connectionFactory: (connection: Connection) => {
      if (settings.onCommand) {
        const onCommand = settings.onCommand;
        connection.getClient().on('commandStarted', (event) => {
          if (!HANDSHAKE_COMMANDS.has(event.commandName)) onCommand(event.commandName);
        });
      }
      return connection;
    },
  };
}
