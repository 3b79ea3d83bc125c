// drizzle-kit's configuration for the fixtures: the SQLite dialect (whose table rebuilds run on
// any SQLite; the "turso" dialect writes libSQL-only ALTER COLUMN instead), the schema version that
// regenerate.sh put in place, migrations written to ./migrations.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./schema.ts",
  out: "./migrations",
});
