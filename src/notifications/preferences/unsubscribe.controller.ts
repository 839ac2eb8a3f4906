import { Controller, Get, Header, HttpCode, Post, Query, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { StoreUnavailableFilter } from '../../observability/store-unavailable.filter';
import { NotificationPreferencesService } from './notification-preferences.service';
import { UnsubscribeTokens } from './unsubscribe-tokens';

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head>` +
  `<body style="font-family:Helvetica,Arial,sans-serif;max-width:480px;margin:48px auto;padding:0 16px;">${body}</body></html>`;

/**
 * The unsubscribe link of mails that can be switched off. GET (a person following the footer link,
 * or a link scanner) only asks; POST (the form, or a mail client's one-click unsubscribe per RFC 8058)
 * switches the category off.
 */
@Controller('notifications/unsubscribe')
@UseFilters(StoreUnavailableFilter)
export class UnsubscribeController {
  constructor(
    private readonly tokens: UnsubscribeTokens,
    private readonly preferences: NotificationPreferencesService,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async ask(@Query('token') token: string, @Res() res: FastifyReply): Promise<void> {
    const parsed = this.tokens.verify(token);
    if (!parsed) {
      await res.status(404).send(page('Link not valid', '<p>This unsubscribe link is not valid.</p>'));
      return;
    }
    await res.send(
      page(
        'Unsubscribe',
        `<p>Stop ${parsed.category.toLowerCase().replace('_', ' ')} e-mails from Take Sessions?</p>` +
          `<form method="post"><button type="submit">Unsubscribe</button></form>`,
      ),
    );
  }

  @Post()
  @HttpCode(200)
  @Header('Content-Type', 'text/html; charset=utf-8')
  async unsubscribe(@Query('token') token: string, @Res() res: FastifyReply): Promise<void> {
    const parsed = this.tokens.verify(token);
    if (!parsed) {
      await res.status(404).send(page('Link not valid', '<p>This unsubscribe link is not valid.</p>'));
      return;
    }
    await this.preferences.switchOff(parsed.userId, parsed.category);
    await res.send(page('Unsubscribed', '<p>Done: you will not get these e-mails any more.</p>'));
  }
}
