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
  /**
   * Deadline of every operation (default 3 s): finding a server, waiting for a pooled connection
   * and the server's answer, retries included (the driver's `timeoutMS`, sent to the server as
   * `maxTimeMS` too). Also bounds server selection, which `timeoutMS` alone leaves at 30 s.
   */
  timeoutMs?: number;
}

/**
 * Mongoose options shared by the app and tests: fail fast instead of buffering when the server is
 * away, and give up on a server that accepts connections but does not answer (readiness reports
 * it and requests get SERVICE_UNAVAILABLE); indexes built explicitly by `syncIndexes` rather than
 * on model compile; driver command monitoring for metrics.
 */
export function mongooseOptions(settings: MongoConnectionSettings): MongooseModuleFactoryOptions {
  return {
    uri: settings.uri,
    autoIndex: false,
    autoCreate: false,
    bufferCommands: false,
    timeoutMS: settings.timeoutMs ?? 3000,
    serverSelectionTimeoutMS: settings.timeoutMs ?? 3000,
    connectTimeoutMS: settings.timeoutMs ?? 3000,
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
