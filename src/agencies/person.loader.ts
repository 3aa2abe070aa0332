import { In } from 'typeorm';
import type { Scope } from '../access/scope';
import { LoaderKey } from '../common/loaders';
import { UserEntity } from './user.entity';

const PERSON_BY_ID = new LoaderKey<string, UserEntity>('a person by id');

/**
 * A person named on something the viewer already sees (the author of a concern, who granted access, who broke
 * glass): whoever may see the entry sees who made it (DESIGN §4), so no further scoping applies. Batched across
 * the whole response.
 */
export function personById(ctx: Scope, userId: string): Promise<UserEntity> {
  return ctx.loaders
    .get(PERSON_BY_ID, async (ids) => {
      const rows = await (await ctx.manager()).findBy(UserEntity, { id: In([...ids]) });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? new Error(`user ${id} missing`));
    })
    .load(userId);
}
