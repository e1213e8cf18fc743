import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";

/**
 * Makes the database refuse admin audit rows while `refusing` runs, through a trigger: the real
 * failure an admin change must survive (its row cannot be written), with no seam in the code.
 */
export async function installAuditRefusal(db: Db): Promise<<T>(refusing: () => Promise<T>) => Promise<T>> {
  for (const statement of [
    "create table if not exists audit_refused (on_purpose boolean)",
    `create or replace function refuse_audit() returns trigger language plpgsql as $$
     begin
       if exists (select 1 from audit_refused) then raise exception 'admin audit refused on purpose'; end if;
       return new;
     end $$`,
    "drop trigger if exists refuse_audit on admin_audit",
    "create trigger refuse_audit before insert on admin_audit for each row execute function refuse_audit()",
  ])
    await db.execute(sql.raw(statement));
  return async (refusing) => {
    await db.execute(sql`insert into audit_refused values (true)`);
    try {
      return await refusing();
    } finally {
      await db.execute(sql`delete from audit_refused`);
    }
  };
}
