DROP INDEX "audit_log_tool_at_idx";--> statement-breakpoint
DROP INDEX "admin_audit_at_idx";--> statement-breakpoint
DROP INDEX "audit_log_at_idx";--> statement-breakpoint
CREATE INDEX "audit_log_tool_id_idx" ON "audit_log" USING btree ("tool","id");--> statement-breakpoint
CREATE INDEX "admin_audit_at_idx" ON "admin_audit" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");