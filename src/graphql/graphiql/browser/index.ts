// Monaco reads its worker environment when GraphiQL first loads it, so that is set up first.
import './monaco-workers';
// GraphiQL's stylesheet holds Monaco's and its fonts too (as data: URLs).
import 'graphiql/style.css';
import './page.css';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

/** What the headers editor starts with: where the token from the `login` mutation goes. */
const TOKEN_PLACEHOLDER = 'Bearer <paste token>';
const DEFAULT_HEADERS = JSON.stringify({ Authorization: TOKEN_PLACEHOLDER }, null, 2);

const DEFAULT_QUERY = `# Safeguard Conference, development. To sign in:
# 1. run SignIn with a person's email and password
#    (npm start prints the demo people's);
# 2. paste its token into the Authorization header below;
# 3. run Me.

mutation SignIn {
  login(email: "", password: "") {
    token
  }
}

query Me {
  me {
    user {
      email
      displayName
    }
    agency {
      name
    }
    roles
  }
}
`;

/**
 * POSTs JSON to /graphql (Apollo's CSRF prevention lets a JSON request through). The placeholder header is
 * left out, so the schema and its documentation load before anyone has signed in.
 */
function fetcher(): Fetcher {
  const post = createGraphiQLFetcher({ url: '/graphql', enableIncrementalDelivery: false });
  return (params, options) => {
    const headers = Object.fromEntries(
      Object.entries(options?.headers ?? {}).filter(
        ([name, value]) => !(name.toLowerCase() === 'authorization' && value === TOKEN_PLACEHOLDER),
      ),
    );
    return post(params, { ...options, headers });
  };
}

const root = document.getElementById('graphiql');
if (!root) throw new Error('the page has no #graphiql element');
createRoot(root).render(
  createElement(GraphiQL, {
    fetcher: fetcher(),
    defaultQuery: DEFAULT_QUERY,
    defaultHeaders: DEFAULT_HEADERS,
    defaultEditorToolsVisibility: 'headers',
    // A token is a credential: it stays in the editor, not in the browser's storage.
    shouldPersistHeaders: false,
  }),
);
