import { createHash } from 'node:crypto';
import { Controller, Get, Header, Headers, NotFoundException, Param, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { StoreUnavailableFilter } from '../../observability/store-unavailable.filter';
import { CalendarService } from './calendar.service';

/** GET /calendar/<token>.ics — the token is the credential, so unknown tokens get a plain 404. */
@Controller('calendar')
@UseFilters(StoreUnavailableFilter)
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get(':file')
  @Header('Cache-Control', 'private, max-age=300')
  async feed(
    @Param('file') file: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const match = /^(.+)\.ics$/.exec(file);
    const body = match ? await this.calendar.render(match[1]) : null;
    if (!body) throw new NotFoundException();
    // Calendar apps poll the feed; an unchanged one costs them a 304 instead of the whole feed.
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    res.header('etag', etag);
    if (ifNoneMatch === etag) return void (await res.status(304).send());
    await res.type('text/calendar; charset=utf-8').send(body);
  }
}
