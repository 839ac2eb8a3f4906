import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Derivative, ImageFacts, ImageProcessor } from './image-processing';

/** The process's one image processor (its concurrency bound is per process). */
@Injectable()
export class MediaImages {
  private readonly processor: ImageProcessor;

  constructor(config: AppConfig) {
    this.processor = new ImageProcessor(config.MEDIA_MAX_IMAGE_PIXELS, config.MEDIA_IMAGE_THREADS);
  }

  inspect(bytes: Buffer): Promise<ImageFacts> {
    return this.processor.inspect(bytes);
  }

  derive(bytes: Buffer): Promise<Derivative[]> {
    return this.processor.derive(bytes);
  }
}
