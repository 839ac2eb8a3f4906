import { Controller, Get, Header, NotFoundException, Param, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { StoreUnavailableFilter } from '../../observability/store-unavailable.filter';
import { CalendarService } from './calendar.service';

/** GET /calendar/<token>.ics — the token is the credential, so unknown tokens get a plain 404. */
@Controller('calendar')
@UseFilters(StoreUnavailableFilter)
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get(':file')
  @Header('Cache-Control', 'private, max-age=300')
  async feed(@Param('file') file: string, @Res() res: Response): Promise<void> {
    const match = /^(.+)\.ics$/.exec(file);
    const body = match ? await this.calendar.render(match[1]) : null;
    if (!body) throw new NotFoundException();
    res.type('text/calendar; charset=utf-8').send(body);
  }
}
