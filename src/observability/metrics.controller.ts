import { Controller, Get, Header, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { MetricsService } from './metrics.service';

@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async expose(@Res() res: FastifyReply): Promise<void> {
    await res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
