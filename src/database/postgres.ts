const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are uuids; anything else names no record, and must not reach PostgreSQL as a cast error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** PostgreSQL's unique_violation, as TypeORM passes it on. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { driverError?: { code?: string } })?.driverError?.code === '23505';
}
