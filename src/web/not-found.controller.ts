import { Controller, Get, UseFilters } from '@nestjs/common';
import { PageErrorFilter } from './page-error.filter';
import { PageNotFound } from './page-errors';

/**
 * Any other address a browser asks for is "Page not found", the same page as a child the person may not reach.
 * Fastify matches every route with a fixed path (/graphql, /health/ready, /sign-in) before this one.
 */
@Controller()
@UseFilters(PageErrorFilter)
export class NotFoundController {
  @Get('*')
  notFound(): never {
    throw new PageNotFound();
  }
}
