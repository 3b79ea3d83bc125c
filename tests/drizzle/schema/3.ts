// Version 3: email becomes NOT NULL with a default, which SQLite cannot ALTER: drizzle-kit
// rebuilds users, the table posts reference with ON DELETE CASCADE.
import { sqliteTable, integer, text, index } from "drizzle-orm/sqlite-core";

export const users = sqliteTable("users", {
  id: integer("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull().default(""),
});

export const posts = sqliteTable(
  "posts",
  {
    id: integer("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
  },
  (t) => [index("posts_user_idx").on(t.userId)],
);
