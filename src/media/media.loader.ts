import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { LoaderFactory } from '../graphql/request-loaders';
import { MediaRepository } from './media.repository';
import type { Media } from './media.types';

declare module '../graphql/request-loaders' {
  interface RequestLoaders {
    /** Media by id: one MongoDB find per batch (a page of teachers with photos and galleries), null when missing. */
    media: DataLoader<string, Media | null>;
  }
}

/** Registers the per-request media loader with the GraphQL layer. */
@Injectable()
export class MediaLoader {
  constructor(factory: LoaderFactory, media: MediaRepository) {
    factory.register(
      'media',
      () =>
        new DataLoader<string, Media | null>(
          (ids) => {
            factory.observeBatch('media', ids.length);
            return media.findByIds(ids);
          },
          { maxBatchSize: 1000 },
        ),
    );
  }
}
