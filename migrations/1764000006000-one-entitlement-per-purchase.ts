import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A purchase grants at most one entitlement. The purchase endpoint already
 * serialises submissions of one store transaction (an advisory lock); the
 * unique index makes a double grant impossible whatever writes entitlements.
 */
export class OneEntitlementPerPurchase1764000006000 implements MigrationInterface {
  name = 'OneEntitlementPerPurchase1764000006000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX entitlements_purchase_id_idx;
      CREATE UNIQUE INDEX entitlements_purchase_id_key ON entitlements (purchase_id);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX entitlements_purchase_id_key;
      CREATE INDEX entitlements_purchase_id_idx ON entitlements (purchase_id);
    `);
  }
}
