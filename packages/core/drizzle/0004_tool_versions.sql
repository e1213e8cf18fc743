CREATE TABLE "tool_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tool_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"hash" text NOT NULL,
	"definition" jsonb NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "tool_version" text;--> statement-breakpoint
CREATE UNIQUE INDEX "tool_versions_tool_hash_idx" ON "tool_versions" USING btree ("tool_id","hash");--> statement-breakpoint
CREATE INDEX "tool_versions_status_idx" ON "tool_versions" USING btree ("status");