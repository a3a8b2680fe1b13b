import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

const CHUNK = 1000;

/**
 * Inserts demo rows a thousand at a time, skipping rows that exist (`ON CONFLICT DO NOTHING`):
 * with ids fixed by their inputs, a second seed adds nothing.
 */
export async function insertIgnoring<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: readonly T[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(target)
      .values(rows.slice(i, i + CHUNK))
      .orIgnore()
      .updateEntity(false)
      .execute();
  }
}
