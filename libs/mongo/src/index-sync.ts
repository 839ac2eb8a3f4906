import type { Connection } from 'mongoose';

/**
 * Creates every collection and the indexes declared in the schemas (development and tests; in
 * production run the same at deploy time). mongo-java-server lacks some index options, so each
 * model syncs separately and a failure names the model.
 */
export async function syncAllIndexes(connection: Connection): Promise<string[]> {
  const synced: string[] = [];
  for (const name of connection.modelNames()) {
    const model = connection.model(name);
    try {
      await model.createCollection().catch((err: { codeName?: string }) => {
        if (err.codeName !== 'NamespaceExists') throw err;
      });
      await model.syncIndexes();
      synced.push(name);
    } catch (err) {
      throw new Error(`Index sync failed for model ${name}: ${(err as Error).message}`, { cause: err });
    }
  }
  return synced;
}

/** Liveness of the connection: a real round trip, bounded in time. */
export async function pingMongo(connection: Connection): Promise<void> {
  const db = connection.db;
  if (!db) throw new Error('MongoDB connection is not open');
  await db.admin().command({ ping: 1 });
}
