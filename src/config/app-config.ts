import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
} from 'class-validator';

const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : value === true || value === 'true' || value === '1'
      ? true
      : value === false || value === 'false' || value === '0'
        ? false
        : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** The Speechmatics cloud's Batch API v2, where recordings go when SPEECHMATICS_URL is not set. */
export const SPEECHMATICS_CLOUD_URL = 'https://asr.api.speechmatics.com';

/** The URL is Speechmatics' own cloud (which needs an API key), not a self-hosted or local server. */
function isSpeechmaticsCloud(url: string | undefined): boolean {
  try {
    const host = new URL(url ?? SPEECHMATICS_CLOUD_URL).hostname;
    return host === 'speechmatics.com' || host.endsWith('.speechmatics.com');
  } catch {
    return false; // not a URL: SPEECHMATICS_URL's own validation reports it
  }
}

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every setting the server reads, typed and validated once at boot (see `.env.example` for the
 * meaning of each). Defaults suit local development; production must configure its stores.
 */
export class AppConfig {
  @IsIn(NODE_ENVS)
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Write logs to this file instead of stdout (tests keep the server's errors without cluttering output). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  LOG_FILE?: string;

  // ---- GraphQL
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  GRAPHQL_INTROSPECTION?: boolean;

  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  GRAPHQL_SANDBOX?: boolean;

  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(50)
  GRAPHQL_MAX_DEPTH = 10;

  @Type(() => Number)
  @IsInt()
  @Min(10)
  GRAPHQL_MAX_COST = 5000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  GRAPHQL_MAX_ALIASES = 15;

  /** Which proxies' X-Forwarded-For is believed for the client address (rate limits): addresses, ranges or names such as `loopback`, comma-separated (proxy-addr, Fastify's `trustProxy`). */
  @IsString()
  TRUST_PROXY = 'loopback, linklocal, uniquelocal';

  @Matches(/^\d+(b|kb|mb)$/i, { message: 'HTTP_BODY_LIMIT must look like 100kb or 1mb' })
  HTTP_BODY_LIMIT = '100kb';

  @Type(() => Number)
  @IsInt()
  @Min(100)
  SHUTDOWN_TIMEOUT_MS = 10000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  READINESS_TIMEOUT_MS = 2000;

  /**
   * Deadline of every call to MongoDB, DynamoDB, S3 and Redis, retries included. A call that has
   * not answered by then fails the request with SERVICE_UNAVAILABLE (retryable).
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60000)
  STORE_TIMEOUT_MS = 3000;

  /** Mounts test-only GraphQL operations (tests of the real entry point); refused in production. */
  @Transform(toBool)
  @IsBoolean()
  @ValidateBy({
    name: 'notInProduction',
    validator: {
      validate: (value, args) => !(value === true && (args?.object as AppConfig).NODE_ENV === 'production'),
      defaultMessage: () => 'TEST_PROBES must not be set in production',
    },
  })
  TEST_PROBES = false;

  // ---- AWS (DynamoDB, S3)
  @IsString()
  AWS_REGION = 'us-east-1';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  DYNAMODB_ENDPOINT?: string;

  @Matches(/^[A-Za-z0-9_.-]{3,255}$/, { message: 'DYNAMODB_TABLE must be 3-255 letters, digits, _ . -' })
  DYNAMODB_TABLE = 'take-sessions';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  S3_ENDPOINT?: string;

  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'S3_BUCKET must be a valid bucket name' })
  S3_BUCKET = 'take-sessions-media';

  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  S3_FORCE_PATH_STYLE?: boolean;

  // ---- MongoDB, Redis
  @Matches(/^mongodb(\+srv)?:\/\/.+/, { message: 'MONGODB_URI must be a mongodb:// or mongodb+srv:// URI' })
  MONGODB_URI: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  // ---- Development conveniences (never on in production unless asked)
  @Transform(toBool)
  @IsBoolean()
  BOOTSTRAP_RESOURCES = false;

  @Transform(toBool)
  @IsBoolean()
  SEED_DEMO_DATA = false;

  // ---- Authentication
  @ValidateIf((c: AppConfig) => c.NODE_ENV === 'production' || c.JWT_SECRET !== undefined)
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @IsString()
  @MinLength(1)
  JWT_ISSUER = 'take-sessions';

  @IsString()
  @MinLength(1)
  JWT_AUDIENCE = 'take-sessions-api';

  @Type(() => Number)
  @IsInt()
  @Min(5)
  @Max(3600)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  REFRESH_TOKEN_TTL_DAYS = 30;

  /** Attempts per client address per window, for logIn and signUp each. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_PER_IP = 20;

  /** Failed logIn attempts per account per window (sign-ups per e-mail address likewise). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_PER_ACCOUNT = 5;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_WINDOW_SECONDS = 900;

  // ---- Bookings
  /** A lesson request not confirmed within this time expires and frees its slot. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LESSON_PENDING_TTL_MINUTES = 1440;

  /** How often each instance looks for expired requests. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LESSON_EXPIRY_SWEEP_SECONDS = 60;

  /** How long a mutation's idempotency key is remembered. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  IDEMPOTENCY_TTL_HOURS = 24;

  // ---- Chat and presence
  /** Messages one user may send per window (sendMessage), on every instance together. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  CHAT_SEND_RATE_LIMIT = 30;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  CHAT_SEND_RATE_WINDOW_SECONDS = 10;

  /**
   * A socket's presence lease: an instance renews the leases of its sockets every
   * PRESENCE_HEARTBEAT_SECONDS; the users of an instance that died go offline when they lapse.
   */
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @ValidateBy({
    name: 'longerThanHeartbeat',
    validator: {
      validate: (value, args) => Number(value) >= 2 * Number((args?.object as AppConfig).PRESENCE_HEARTBEAT_SECONDS),
      defaultMessage: () => 'PRESENCE_TTL_SECONDS must be at least twice PRESENCE_HEARTBEAT_SECONDS',
    },
  })
  PRESENCE_TTL_SECONDS = 30;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  PRESENCE_HEARTBEAT_SECONDS = 10;

  /** After a user's last socket closes they stay online this long (a page reload does not flap). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  PRESENCE_GRACE_SECONDS = 10;

  /** Connected but without activity for this long: AWAY. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  PRESENCE_AWAY_SECONDS = 300;

  /** How often each instance looks for presence changes that fell due (grace over, lease lapsed, away). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  PRESENCE_SWEEP_SECONDS = 2;

  // ---- Jobs and events
  /** Run background jobs (the scheduler's poll) on this instance; off for measurements that count store calls. */
  @Transform(toBool)
  @IsBoolean()
  JOBS_ENABLED = true;

  /** How often each instance looks for due jobs (periodic and delayed). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  JOBS_POLL_SECONDS = 5;

  /** Attempts of a delayed job before it is kept as FAILED. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  JOBS_MAX_ATTEMPTS = 8;

  /** How often the outbox relay looks for events that still need delivering. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  OUTBOX_SWEEP_SECONDS = 10;

  /** Failed deliveries of an event before it is kept as FAILED (dead letter). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  OUTBOX_MAX_ATTEMPTS = 10;

  // ---- Media (uploads to S3; see README "Media, for client developers")
  /**
   * Origin of a CDN (or public bucket website) in front of the bucket's `public/` prefix; public media
   * URLs are `MEDIA_PUBLIC_BASE_URL/<key>`. Unset: presigned GET URLs, stable for a day, valid for 7 days.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  MEDIA_PUBLIC_BASE_URL?: string;

  /** How long a presigned POST of createUpload may be used. */
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(3600)
  MEDIA_UPLOAD_URL_TTL_SECONDS = 900;

  /** How long the part URLs of a multipart upload (lesson recordings) may be used. */
  @Type(() => Number)
  @IsInt()
  @Min(300)
  @Max(604800)
  MEDIA_MULTIPART_URL_TTL_SECONDS = 21600;

  /** Lifetime of a presigned GET of private media (recordings, chat attachments). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(3600)
  MEDIA_PRIVATE_URL_TTL_SECONDS = 300;

  /** Media a user may hold at once (uploads in progress included). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  MEDIA_QUOTA_COUNT = 500;

  /** Bytes a user may hold at once (declared sizes of uploads in progress included); default 20 GiB. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  MEDIA_QUOTA_BYTES = 20 * 1024 ** 3;

  /** createUpload calls per user per window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  MEDIA_UPLOAD_RATE_LIMIT = 60;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  MEDIA_UPLOAD_RATE_LIMIT_WINDOW_SECONDS = 3600;

  /** Largest image (width × height) decoded: the guard against decompression bombs. */
  @Type(() => Number)
  @IsInt()
  @Min(1_000_000)
  MEDIA_MAX_IMAGE_PIXELS = 60_000_000;

  /** Threads libvips (sharp) may use for one image; keep below the core count so requests keep a core. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  MEDIA_IMAGE_THREADS = 1;

  /** How often the sweep removes uploads never completed (and rejected media past their retention). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  MEDIA_SWEEP_SECONDS = 600;

  /** Origins allowed to upload to the bucket from a browser (CORS rule set by BOOTSTRAP_RESOURCES); comma-separated. */
  @IsString()
  MEDIA_CORS_ORIGINS = '*';

  /** Public origin of this API, for links such as calendar feeds; default http://localhost:PORT. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_BASE_URL?: string;

  // ---- Payments (Stripe; locally localstripe, which npm start and the tests start)
  /** Required in production (sk_live_… or sk_test_…); elsewhere a placeholder key for localstripe. */
  @ValidateIf((c: AppConfig) => c.NODE_ENV === 'production' || c.STRIPE_SECRET_KEY !== undefined)
  @IsString()
  @Matches(/^(sk|rk)_(live|test)_\S+$/, {
    message: 'STRIPE_SECRET_KEY must be a Stripe secret key (sk_live_…, sk_test_…)',
  })
  STRIPE_SECRET_KEY?: string;

  /** Signing secret of the webhook endpoint (whsec_…); required in production. */
  @ValidateIf((c: AppConfig) => c.NODE_ENV === 'production' || c.STRIPE_WEBHOOK_SECRET !== undefined)
  @IsString()
  @Matches(/^whsec_\S{8,}$/, { message: 'STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_…)' })
  STRIPE_WEBHOOK_SECRET?: string;

  /** Where the Stripe client sends requests instead of api.stripe.com (localstripe); refused in production. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  @ValidateBy({
    name: 'notInProduction',
    validator: {
      validate: (value, args) => !(value !== undefined && (args?.object as AppConfig).NODE_ENV === 'production'),
      defaultMessage: () => 'STRIPE_API_BASE must not be set in production (it points Stripe calls elsewhere)',
    },
  })
  STRIPE_API_BASE?: string;

  /** The platform's commission on every amount a teacher earns, in basis points (1000 = 10 %). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(5000)
  PLATFORM_FEE_BPS = 1000;

  /** A confirmed lesson the teacher has not marked completed or no-show is charged this long after its end. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  PAYMENT_CAPTURE_GRACE_HOURS = 48;

  /** Students are told this many days before their unused credits expire. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(90)
  CREDIT_EXPIRY_NOTICE_DAYS = 14;
  // ---- Account e-mails
  /** How long the link of a verification mail works. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(720)
  EMAIL_VERIFICATION_TTL_HOURS = 72;

  /** How long the link of a password-reset mail works. */
  @Type(() => Number)
  @IsInt()
  @Min(5)
  @Max(1440)
  PASSWORD_RESET_TTL_MINUTES = 30;

  /** Verification resends per account, and password-reset requests per e-mail address, per window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  ACCOUNT_MAIL_RATE_LIMIT = 5;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  ACCOUNT_MAIL_RATE_LIMIT_WINDOW_SECONDS = 3600;

  // ---- Mail and notifications
  /** The SMTP server that sends every mail (smtp:// or smtps://, credentials in the URL). Unset: mail stays queued. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** Sender of every mail: an address, or `Name <address>`. */
  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Take Sessions <no-reply@takesessions.example>';

  /** Pooled SMTP connections per instance. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  SMTP_MAX_CONNECTIONS = 3;

  /** Attempts to hand a mail to the SMTP server (with backoff, 5 s doubling to an hour) before it is FAILED. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(30)
  MAIL_MAX_ATTEMPTS = 10;

  /** Origin of the web app that links in mails open (verification, password reset, lessons, settings). */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_WEB_URL = 'http://localhost:5173';

  /** Where the local SMTP catcher keeps mails; with it the development server lists them at /dev/mail (never in production). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MAIL_CATCHER_DIR?: string;
  // ---- Lesson recordings
  /** The Speechmatics Batch API v2 base URL (npm start and the tests point it at the local server). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  SPEECHMATICS_URL?: string;

  /**
   * Required in production when transcription goes to Speechmatics' cloud (SPEECHMATICS_URL unset or
   * *.speechmatics.com): without it every recording would fail at the provider, long after boot.
   */
  @Transform(emptyToUndefined)
  @ValidateIf(
    (c: AppConfig) =>
      (c.NODE_ENV === 'production' && isSpeechmaticsCloud(c.SPEECHMATICS_URL)) || c.SPEECHMATICS_API_KEY !== undefined,
  )
  @IsString()
  @IsNotEmpty({
    message:
      'SPEECHMATICS_API_KEY is required in production with the Speechmatics cloud (SPEECHMATICS_URL unset or *.speechmatics.com)',
  })
  SPEECHMATICS_API_KEY?: string;

  /** Signs the per-job token of Speechmatics' completion callback; default: derived from JWT_SECRET. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32)
  SPEECHMATICS_CALLBACK_SECRET?: string;

  /** How often a transcription job is polled when its callback has not come (the callback's fallback). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  TRANSCRIPTION_POLL_SECONDS = 30;

  /** Recordings, transcripts and insights are deleted this many days after they were attached. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RECORDING_RETENTION_DAYS = 180;

  /** The longest recording accepted, in seconds (3 hours). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RECORDING_MAX_SECONDS = 10_800;

  /** How often the retention job looks for expired recordings. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RECORDING_RETENTION_SWEEP_SECONDS = 3600;

  get production(): boolean {
    return this.NODE_ENV === 'production';
  }
  get introspection(): boolean {
    return this.GRAPHQL_INTROSPECTION ?? !this.production;
  }
  /** HTTP_BODY_LIMIT in bytes. */
  get httpBodyLimitBytes(): number {
    const [, n, unit] = /^(\d+)(b|kb|mb)$/i.exec(this.HTTP_BODY_LIMIT)!;
    return Number(n) * { b: 1, kb: 1024, mb: 1024 * 1024 }[unit.toLowerCase() as 'b' | 'kb' | 'mb'];
  }
  get sandbox(): boolean {
    return this.GRAPHQL_SANDBOX ?? !this.production;
  }
  /** Outside production a fixed development secret is used so tokens survive a restart of `npm start`. */
  get jwtSecret(): string {
    return this.JWT_SECRET ?? 'development-only-secret-never-use-in-production';
  }
  get stripeSecretKey(): string {
    return this.STRIPE_SECRET_KEY ?? 'sk_test_localstripe';
  }
  get stripeWebhookSecret(): string {
    return this.STRIPE_WEBHOOK_SECRET ?? 'whsec_development_only_secret';
  }
  get publicWebUrl(): string {
    return this.PUBLIC_WEB_URL.replace(/\/$/, '');
  }
  get publicBaseUrl(): string {
    return (this.PUBLIC_BASE_URL ?? `http://localhost:${this.PORT}`).replace(/\/$/, '');
  }
  get mediaCorsOrigins(): string[] {
    return this.MEDIA_CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean);
  }
  get speechmaticsUrl(): string {
    return this.SPEECHMATICS_URL ?? SPEECHMATICS_CLOUD_URL;
  }
  get speechmaticsCallbackSecret(): string {
    return this.SPEECHMATICS_CALLBACK_SECRET ?? `speechmatics-callback:${this.jwtSecret}`;
  }
  get s3ForcePathStyle(): boolean {
    return this.S3_FORCE_PATH_STYLE ?? this.S3_ENDPOINT !== undefined;
  }
}
