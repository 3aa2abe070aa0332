import { Controller, Get, Header, Module } from '@nestjs/common';

/**
 * A small query console for development that works offline: Apollo's landing page and GraphiQL load their code
 * from a CDN. It posts JSON to /graphql (so CSRF prevention lets it through) with an optional bearer token.
 * Registered only when NODE_ENV=development: elsewhere the route does not exist.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Safeguard Conference: GraphQL console (development)</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 1rem; display: grid; gap: .5rem; grid-template-columns: 1fr 1fr; }
  header, .controls { grid-column: 1 / 3; }
  textarea, pre { font: 13px ui-monospace, monospace; width: 100%; box-sizing: border-box; }
  textarea { height: 14rem; } pre { background: #f4f4f4; padding: .5rem; min-height: 29rem; margin: 0; overflow: auto; }
  input { width: 30rem; }
</style>
</head>
<body>
<header><strong>GraphQL console</strong> (development only): Ctrl+Enter runs the query.</header>
<div class="controls">
  <label>Bearer token <input id="token" placeholder="from the login mutation"></label>
  <button id="run">Run</button>
</div>
<div>
  <label for="query">Query</label>
  <textarea id="query" spellcheck="false">{ me { user { email } agency { name } roles } }</textarea>
  <label for="variables">Variables (JSON)</label>
  <textarea id="variables" spellcheck="false">{}</textarea>
</div>
<pre id="result" aria-live="polite"></pre>
<script>
  const $ = (id) => document.getElementById(id);
  $('token').value = sessionStorage.getItem('token') || '';
  async function run() {
    const headers = { 'content-type': 'application/json' };
    const token = $('token').value.trim();
    sessionStorage.setItem('token', token);
    if (token) headers.authorization = 'Bearer ' + token;
    let variables;
    try { variables = JSON.parse($('variables').value || '{}'); }
    catch (e) { $('result').textContent = 'Variables are not valid JSON: ' + e.message; return; }
    const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query: $('query').value, variables }) });
    $('result').textContent = response.status + '\\n' + JSON.stringify(await response.json(), null, 2);
  }
  $('run').addEventListener('click', run);
  document.addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) run(); });
</script>
</body>
</html>
`;

@Controller('graphiql')
export class GraphiqlController {
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header(
    'content-security-policy',
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
  )
  page(): string {
    return PAGE;
  }
}

@Module({ controllers: [GraphiqlController] })
export class GraphiqlModule {}
