// Types for what the page's script uses and no installed package declares.

/** Imported stylesheets: esbuild writes them into graphiql.css. */
declare module '*.css';

/**
 * React ships no types and @types/react is not a dependency: the calls made here, as React 19 defines them.
 * (GraphiQL's props are then unchecked: its own declarations name React's types.)
 */
declare module 'react' {
  export interface ReactElement {
    readonly type: unknown;
    readonly props: unknown;
  }
  export function createElement<P extends object>(type: (props: P) => unknown, props: P): ReactElement;
}

declare module 'react-dom/client' {
  import type { ReactElement } from 'react';
  export interface Root {
    render(element: ReactElement): void;
    unmount(): void;
  }
  export function createRoot(container: Element): Root;
}

/** What Monaco reads to start a language service's worker (monaco-editor's Environment, the part used here). */
interface Window {
  MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
}
