import { Controller, Get, Headers, Module, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLE_FILES, GRAPHIQL_PATH, SCRIPT_FILE, STYLE_FILE } from './bundle';
import { BUNDLE_DIRECTORY } from './paths';

/**
 * The page holds no script of its own: GraphiQL is the bundled file it loads, so the policy allows scripts and
 * workers from this server only. Styles may be inline because Monaco writes <style> elements as it runs
 * (without them its error markers, among others, are refused); GraphiQL's fonts are data: URLs in its
 * stylesheet. Every request the page makes goes back to this server.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Safeguard Conference: GraphiQL (development)</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${GRAPHIQL_PATH}/${STYLE_FILE}">
<script type="module" src="${GRAPHIQL_PATH}/${SCRIPT_FILE}"></script>
</head>
<body>
<div id="graphiql"></div>
</body>
</html>
`;

const NOT_BUILT = `GraphiQL's bundle is not in ${BUNDLE_DIRECTORY}: \`npm run build\` makes it (\`npm start\` runs it).\n`;

/**
 * GraphiQL, the GraphQL IDE, with the schema's documentation (introspection is on in development only). The
 * IDE is bundled by `npm run build` (build.ts) and served from here, so it works offline and sends nothing
 * anywhere but this server. Registered only when NODE_ENV=development: elsewhere these routes do not exist.
 */
@Controller(GRAPHIQL_PATH)
class GraphiqlController {
  @Get()
  async page(@Res() reply: FastifyReply): Promise<void> {
    const built = await fileState(SCRIPT_FILE);
    if (!built) {
      await reply.code(503).type('text/plain; charset=utf-8').send(NOT_BUILT);
      return;
    }
    await reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('cache-control', 'no-store')
      .send(PAGE);
  }

  /** Only the files the build writes are served: a name off that list is not looked up on disk at all. */
  @Get(':file')
  async file(
    @Param('file') file: string,
    @Headers('if-none-match') cached: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const contentType = BUNDLE_FILES.get(file);
    const state = contentType ? await fileState(file) : undefined;
    if (!contentType || !state) throw new NotFoundException();
    // The names are fixed, not content-hashed: the browser revalidates each time and a rebuild is picked up.
    reply.header('etag', state.etag).header('cache-control', 'no-cache');
    if (cached === state.etag) {
      await reply.code(304).send();
      return;
    }
    await reply
      .type(contentType)
      .header('x-content-type-options', 'nosniff')
      .header('content-length', state.size)
      .send(createReadStream(join(BUNDLE_DIRECTORY, file)));
  }
}

async function fileState(file: string): Promise<{ size: number; etag: string } | undefined> {
  try {
    const { size, mtimeMs } = await stat(join(BUNDLE_DIRECTORY, file));
    return { size, etag: `"${size.toString(36)}-${Math.trunc(mtimeMs).toString(36)}"` };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

@Module({ controllers: [GraphiqlController] })
export class GraphiqlModule {}
