import { createHash } from 'node:crypto';
import { Client, type ClientConfig } from 'pg';

/**
 * How many statement texts one connection keeps prepared. The app's statements are templates (values travel as
 * parameters), so a few hundred cover them all; past the bound a new text goes unnamed, as every statement did
 * before, so texts that differ each time cannot grow the server's memory without end.
 */
const PREPARED_PER_CONNECTION = 500;

/**
 * Begins a statement whose best plan depends on its values (how many children the viewer reaches, how common a
 * name is), so that it stays unnamed and PostgreSQL plans it for the values each time: for the list of children
 * one generic plan for all values was once three times slower than planning afresh (issue 14).
 */
export const PLANNED_EACH_TIME = '/* planned each time */ ';

/**
 * Every other parameterised statement runs on its generic plan, made once per connection. Left to itself
 * (`auto`), PostgreSQL keeps planning the access-checked reads for their values whenever its estimate of the
 * generic plan is higher, though the plan it picks is the same: at `national`, binding the child's statement
 * took 1.2 ms against 0.12 ms to run it, and PostgreSQL spent 3.6 ms of CPU a child read, 1.8 ms with generic
 * plans (issue 14).
 */
const GENERIC = 'force_generic_plan';

/** Statement text to its name, for the whole process: hashing a long text on every run cost more than a lookup. */
const names = new Map<string, string>();
/** Past this many texts the names are hashed each time again: texts that differ each run must not pin memory. */
const NAMES_KEPT = 1000;

function nameOf(text: string): string {
  const known = names.get(text);
  if (known) return known;
  const name = `s_${createHash('sha1').update(text).digest('base64url')}`;
  if (names.size < NAMES_KEPT) names.set(text, name);
  return name;
}

/**
 * The pool's connection: each parameterised statement is prepared once per connection, under a name taken from
 * its text, and from then on only bound and executed. PostgreSQL then neither parses nor analyses it again and
 * plans it from its plan cache; the access-checked reads are long texts whose parsing and planning cost more
 * than running them (issue 14). A statement with no parameters (BEGIN, COMMIT, SET) goes as it always did.
 *
 * The names are the server session's: a pooler in transaction mode (PgBouncer's `pool_mode = transaction`)
 * would send a later Bind to a session that never saw the Parse.
 */
export class PreparingClient extends Client {
  private readonly prepared = new Set<string>();

  constructor(config?: string | ClientConfig) {
    const given = typeof config === 'string' ? { connectionString: config } : (config ?? {});
    super({ ...given, options: [given.options, `-c plan_cache_mode=${GENERIC}`].filter(Boolean).join(' ') });
    // Looked up on each call, not bound once, so whatever wraps Client.prototype.query later still sees each one.
    const query = (...args: unknown[]) => (Client.prototype.query as (...a: unknown[]) => unknown).apply(this, args);
    this.query = ((...args: unknown[]) => {
      const [text, values] = args;
      if (args.length === 2 && typeof text === 'string' && Array.isArray(values) && values.length > 0) {
        if (text.startsWith(PLANNED_EACH_TIME)) return this.plannedForItsValues(query, text, values);
        const name = this.nameFor(text);
        if (name) return query({ name, text, values });
      }
      return query(...args);
    }) as Client['query'];
  }

  /**
   * Unnamed, under the server's own choice, which for a statement bound once is a plan for its values. Should the
   * statement fail inside a transaction, the setting cannot be put back until it ends, and then it need not be:
   * a rolled-back SET is undone with the transaction.
   */
  private async plannedForItsValues(query: (...a: unknown[]) => unknown, text: string, values: unknown[]) {
    await query(`SET plan_cache_mode = auto`);
    try {
      return await query(text, values);
    } finally {
      await (query(`SET plan_cache_mode = ${GENERIC}`) as Promise<unknown>).catch(() => undefined);
    }
  }

  private nameFor(text: string): string | undefined {
    const name = nameOf(text);
    if (this.prepared.has(name)) return name;
    if (this.prepared.size >= PREPARED_PER_CONNECTION) return undefined;
    this.prepared.add(name);
    return name;
  }
}
