import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { LoaderFactory } from '../graphql/request-loaders';
import type { Review } from './review.schema';
import { ReviewsRepository } from './reviews.repository';

declare module '../graphql/request-loaders' {
  interface RequestLoaders {
    /**
     * First pages of teachers' visible reviews, newest first, keyed by teacher and page size (one
     * more review than the size, telling whether a next page exists): one aggregate per page size
     * for every teacher asked for in the same tick.
     */
    reviewFirstPages: DataLoader<{ teacherId: string; first: number }, Review[], string>;
  }
}

/** Registers the per-request loader of review pages with the GraphQL layer. */
@Injectable()
export class ReviewPagesLoader {
  constructor(factory: LoaderFactory, reviews: ReviewsRepository) {
    factory.register(
      'reviewFirstPages',
      () =>
        new DataLoader(
          async (keys) => {
            factory.observeBatch('reviewFirstPages', keys.length);
            const bySize = new Map<number, string[]>();
            for (const k of keys) bySize.set(k.first, [...(bySize.get(k.first) ?? []), k.teacherId]);
            const found = new Map<number, Map<string, Review[]>>();
            await Promise.all(
              [...bySize].map(async ([size, ids]) => found.set(size, await reviews.latestOfTeachers(ids, size + 1))),
            );
            return keys.map((k) => found.get(k.first)!.get(k.teacherId) ?? []);
          },
          { cacheKeyFn: (k) => `${k.first}:${k.teacherId}`, maxBatchSize: 100 },
        ),
    );
  }
}
