import type { ActingMembership, Actor } from './actor';

/** Binds a value as a uniquely named parameter of the scope and answers its placeholder (`:ca3_0`). */
export type Bind = (value: unknown) => string;

/**
 * One route: a SELECT of `child_id uuid, route text, tiers text[], full_record boolean` for the actor, or null
 * when the route cannot apply to them. `narrow(column)` answers `AND <column> = ANY(...)` when the scope is
 * restricted to given children (so single-child lookups stay index lookups), else ''.
 */
export type RouteBranch = (
  actor: Actor,
  membership: ActingMembership,
  bind: Bind,
  narrow: (childIdColumn: string) => string,
) => string | null;
