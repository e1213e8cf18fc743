CREATE TABLE "tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"principal" text NOT NULL,
	"tool" text NOT NULL,
	"owner" text NOT NULL,
	"status" text NOT NULL,
	"status_message" text,
	"input_requests" jsonb,
	"input_responses" jsonb,
	"used_keys" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"result" jsonb,
	"error" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "tasks_principal_idx" ON "tasks" USING btree ("principal","created_at");--> statement-breakpoint
CREATE INDEX "tasks_status_idx" ON "tasks" USING btree ("status","updated_at");--> statement-breakpoint
CREATE INDEX "tasks_expires_at_idx" ON "tasks" USING btree ("expires_at");