import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Locale } from '../../users/user.types';
import { MAIL_TEMPLATE_NAMES, MailTemplate } from './mail-templates';

/** Where the layout, partials, mails and catalogues live (copied beside the compiled code by `npm run build`). */
export const TEMPLATES_DIR = join(__dirname, '..', 'templates');

/** A lesson as one recipient reads it: every text already in their language and time zone. */
export interface LessonView {
  other: string;
  when: string;
  previousWhen: string | null;
  duration: string;
  where: string;
  price: string;
  note: string | null;
  reason: string | null;
}

/** Everything a template may show. Every key is present (templates compile in strict mode). */
export interface MailView {
  locale: Locale;
  /** Values of the `{placeholders}` in the catalogue's phrases. */
  vars: Record<string, string>;
  links: { action: string | null; preferences: string; unsubscribe: string | null };
  lesson: LessonView | null;
  flags: {
    byYou: boolean;
    late: boolean;
    fee: boolean;
    needsConfirmation: boolean;
    awaitsTeacher: boolean;
    forTeacher: boolean;
  };
}

export const NO_FLAGS: MailView['flags'] = {
  byYou: false,
  late: false,
  fee: false,
  needsConfirmation: false,
  awaitsTeacher: false,
  forTeacher: false,
};

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

type Catalogue = Record<string, unknown>;
type Compiled = Handlebars.TemplateDelegate;

/**
 * Renders the Handlebars mails: one layout and shared partials, an HTML and a plain-text version
 * of each, phrases from the recipient's catalogue (`{{t ".intro"}}` is the mail's own phrase,
 * `{{t "common.x"}}` a shared one). Templates compile in strict mode and a missing phrase or
 * placeholder throws, so a broken template fails its test (mail-renderer.spec.ts) and never
 * sends half a mail.
 */
@Injectable()
export class MailRenderer {
  private readonly catalogues: Record<Locale, Catalogue>;
  private readonly html: { env: typeof Handlebars; layout: Compiled; mails: Map<MailTemplate, Compiled> };
  private readonly text: { env: typeof Handlebars; layout: Compiled; mails: Map<MailTemplate, Compiled> };

  constructor() {
    const dir = TEMPLATES_DIR;
    this.catalogues = {
      [Locale.EN]: JSON.parse(readFileSync(join(dir, 'i18n', 'en.json'), 'utf8')) as Catalogue,
      [Locale.DE]: JSON.parse(readFileSync(join(dir, 'i18n', 'de.json'), 'utf8')) as Catalogue,
    };
    this.html = this.load(dir, 'html');
    this.text = this.load(dir, 'text');
  }

  render(template: MailTemplate, view: MailView): RenderedMail {
    const data = { template };
    const subject = this.phrase(template, 'subject', view.locale, view.vars);
    const withSubject = { ...view, subject };
    const html = this.html.layout(
      { ...withSubject, body: new Handlebars.SafeString(this.html.mails.get(template)!(view, { data })) },
      { data },
    );
    const text = this.text.layout({ ...withSubject, body: this.text.mails.get(template)!(view, { data }) }, { data });
    return { subject, html, text: tidyText(text) };
  }

  /** One phrase of a mail in a locale, placeholders filled (subjects, in-app notifications). */
  phrase(template: MailTemplate | 'common', key: string, locale: Locale, vars: Record<string, string>): string {
    const path = `${template}.${key}`;
    const found = path
      .split('.')
      .reduce<unknown>((node, part) => (node as Catalogue | undefined)?.[part], this.catalogues[locale]);
    if (typeof found !== 'string') throw new Error(`the ${locale} catalogue has no phrase ${path}`);
    return found.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = vars[name];
      if (value === undefined) throw new Error(`phrase ${path} (${locale}) needs {${name}}`);
      return value;
    });
  }

  /** A phrase as written in the catalogue (date patterns keep their braces for the caller). */
  raw(template: MailTemplate | 'common', key: string, locale: Locale): string {
    const path = `${template}.${key}`;
    const found = path
      .split('.')
      .reduce<unknown>((node, part) => (node as Catalogue | undefined)?.[part], this.catalogues[locale]);
    if (typeof found !== 'string') throw new Error(`the ${locale} catalogue has no phrase ${path}`);
    return found;
  }

  private load(dir: string, kind: 'html' | 'text') {
    const env = Handlebars.create();
    const options: CompileOptions = { strict: true, noEscape: kind === 'text' };
    env.registerHelper('t', (key: string, opts: Handlebars.HelperOptions) => {
      const root = opts.data.root as MailView;
      const template = opts.data.template as MailTemplate;
      const [scope, rest] = key.startsWith('.') ? [template, key.slice(1)] : splitScope(key);
      return this.phrase(scope, rest, root.locale, { ...root.vars, ...(opts.hash as Record<string, string>) });
    });
    for (const file of readdirSync(join(dir, 'partials')).filter((f) => f.endsWith(`.${kind}.hbs`))) {
      env.registerPartial(file.replace(`.${kind}.hbs`, ''), env.compile(read(dir, 'partials', file), options));
    }
    const mails = new Map<MailTemplate, Compiled>();
    for (const name of MAIL_TEMPLATE_NAMES)
      mails.set(name, env.compile(read(dir, 'mails', `${name}.${kind}.hbs`), options));
    return { env, layout: env.compile(read(dir, `layout.${kind}.hbs`), options), mails };
  }
}

type CompileOptions = Parameters<typeof Handlebars.compile>[1];

function read(...parts: string[]): string {
  return readFileSync(join(...parts), 'utf8');
}

function splitScope(key: string): [MailTemplate | 'common', string] {
  const dot = key.indexOf('.');
  return [key.slice(0, dot) as MailTemplate | 'common', key.slice(dot + 1)];
}

/** Plain text without the blank-line runs that optional blocks leave. */
function tidyText(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n'
  );
}
