import fs from 'node:fs';
import path from 'node:path';
import type { Route } from '@nimo/kit';

/**
 * A GraphQL explorer (GraphiQL) at the gateway's root, served from the npm packages themselves:
 * nothing loads from a CDN, so it works on closed municipal networks. Development only by default.
 */
/** A file inside an installed package (its `exports` do not list the browser bundles). */
const packageFile = (name: string, file: string) => path.join(path.dirname(require.resolve(`${name}/package.json`)), file);

const ASSETS: Record<string, { file: string; type: string }> = {
  '/explorer/react.js': { file: packageFile('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  '/explorer/react-dom.js': { file: packageFile('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  '/explorer/graphiql.js': { file: packageFile('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  '/explorer/graphiql.css': { file: packageFile('graphiql', 'graphiql.min.css'), type: 'text/css' },
};

const PAGE = `<!doctype html>
<html lang="ja">
<head>
  <meta charset="utf-8">
  <title>Nimo Hub explorer</title>
  <link rel="stylesheet" href="/explorer/graphiql.css">
  <style>html, body, #explorer { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="explorer"></div>
  <script src="/explorer/react.js"></script>
  <script src="/explorer/react-dom.js"></script>
  <script src="/explorer/graphiql.js"></script>
  <script src="/explorer/start.js"></script>
</body>
</html>`;

const START = `const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
const query = '# Nimo Hub: ask the whole layered support system one question.\\n' +
  'query Chiyoda {\\n  jurisdiction(code: "131016") {\\n    name\\n    nameKana\\n    kind\\n    region { name }\\n' +
  '    forum { name members { role } }\\n    organizations(category: CONSULTATION) { name services }\\n  }\\n}\\n';
ReactDOM.createRoot(document.getElementById('explorer')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery: query, defaultEditorToolsVisibility: true }));
`;

export const explorerRoute: Route = (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET') return false;
  const security = {
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'self'",
  };
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...security });
    res.end(PAGE);
    return true;
  }
  if (url.pathname === '/explorer/start.js') {
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', ...security });
    res.end(START);
    return true;
  }
  const asset = ASSETS[url.pathname];
  if (!asset) return false;
  res.writeHead(200, { 'content-type': `${asset.type}; charset=utf-8`, 'cache-control': 'public, max-age=86400', ...security });
  fs.createReadStream(asset.file).pipe(res);
  return true;
};
