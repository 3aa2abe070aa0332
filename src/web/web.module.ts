import { Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import nunjucks from 'nunjucks';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { GraphqlModule } from '../graphql/graphql.module';
import { SocketCredentials } from '../graphql/socket-credentials';
import { pathOf } from '../logging/logger';
import { ChildController } from './child/child.controller';
import { ChildrenController } from './children/children.controller';
import { AccountController } from './account/account.controller';
import { AgenciesController } from './agencies/agencies.controller';
import { ConferencesController } from './conferences/conferences.controller';
import { NotificationsController } from './notifications/notifications.controller';
import { PeopleController } from './people/people.controller';
import { calendarDateText, dateTimeText } from './dates';
import { NonPunishmentController } from './non-punishment/non-punishment.controller';
import { NotFoundController } from './not-found.controller';
import { NrmController } from './nrm/nrm.controller';
import { PageErrorFilter } from './page-error.filter';
import { PageGraphql } from './page-graphql';
import { RegisterController } from './register/register.controller';
import { RequestsController } from './requests/requests.controller';
import { BreakGlassReviewsController } from './sharing/break-glass-reviews.controller';
import { SharingController } from './sharing/sharing.controller';
import { Pages } from './pages';
import { CsrfGuard } from './session/csrf.guard';
import { SessionController } from './session/session.controller';
import { SignedInGuard } from './session/signed-in.guard';
import { StatisticsController } from './statistics/statistics.controller';
import { WebSessions } from './session/web-session';
import { ASSETS_DIRECTORY, COMPONENT_TEMPLATES, WEB_DIRECTORY } from './web-paths';

/** The API and the developers' IDE keep their own headers (GraphiQL sets a policy of its own). */
const NOT_PAGES = /^\/(?:graphql|graphiql)(?:\/|$)/;

/**
 * The pages' policy: every script, style, font and image from this service, none inline (GOV.UK Frontend's
 * inline snippet is an external file), forms posted back here only, never framed (clickjacking), and no
 * referrer carrying a child's address to "Exit this page"'s destination.
 */
const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
  },
};

/**
 * The practitioners' pages (issue 12), served by the service itself beside /graphql: server-rendered with
 * Nunjucks on GOV.UK Frontend and MoJ Frontend, their assets built by `npm run build` (build.ts) and served from
 * /assets. Every page gets and changes data only through GraphQL operations run as the signed-in person
 * (PageGraphql); lint forbids src/web to import a service, repository or entity.
 */
@Module({
  imports: [GraphqlModule],
  controllers: [
    SessionController,
    ChildrenController,
    ChildController,
    RegisterController,
    RequestsController,
    SharingController,
    BreakGlassReviewsController,
    ConferencesController,
    NonPunishmentController,
    NrmController,
    StatisticsController,
    AccountController,
    PeopleController,
    AgenciesController,
    NotificationsController,
    NotFoundController,
  ],
  providers: [PageGraphql, Pages, WebSessions, SignedInGuard, CsrfGuard, PageErrorFilter],
})
export class WebModule implements OnModuleInit {
  private readonly log = new Logger('Pages');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly socketCredentials: SocketCredentials,
    private readonly sessions: WebSessions,
  ) {}

  /**
   * The plugins are queued, not awaited: awaiting one loads every plugin queued before it (Apollo's route among
   * them) before Nest sets its error handler, and those routes would answer their errors with Fastify's default.
   */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // The header's live unread count subscribes with the pages' own session cookie (web-session.ts).
    this.socketCredentials.accept((request) => this.sessions.socketAuthorization(request));
    void fastify.register(fastifyCookie);
    void fastify.register(fastifyHelmet, {
      global: false,
      contentSecurityPolicy: CONTENT_SECURITY_POLICY,
      referrerPolicy: { policy: 'no-referrer' },
      // HSTS only where the service is served over TLS.
      strictTransportSecurity: this.config.env === 'production',
    });
    fastify.addHook('onRequest', async (request, reply) => {
      if (!NOT_PAGES.test(pathOf(request.url) ?? '')) await reply.helmet();
    });
    void fastify.register(fastifyView, {
      engine: { nunjucks },
      templates: [WEB_DIRECTORY, ...COMPONENT_TEMPLATES],
      options: {
        autoescape: true,
        throwOnUndefined: false,
        onConfigure: (env: nunjucks.Environment) => {
          // The MoJ timeline formats its dates with a `date` filter of the service's own.
          env.addFilter('date', (instant: string) => dateTimeText(instant));
          env.addFilter('dateTime', (instant: string) => dateTimeText(instant));
          env.addFilter('calendarDate', (date: string) => calendarDateText(date));
          env.addFilter('labelsOf', (codes: string[], labels: Record<string, string>) =>
            codes.map((code) => labels[code] ?? code).join(', '),
          );
        },
      },
    });
    if (!existsSync(ASSETS_DIRECTORY)) {
      this.log.warn(`the pages' assets are not in ${ASSETS_DIRECTORY}: \`npm run build\` makes them`);
    }
    void fastify.register(fastifyStatic, {
      root: ASSETS_DIRECTORY,
      prefix: '/assets/',
      // Fixed names, not content-hashed: revalidated each time, so a rebuild is picked up.
      cacheControl: true,
      maxAge: 0,
      immutable: false,
      index: false,
      dotfiles: 'deny',
    });
  }
}
