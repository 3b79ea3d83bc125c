BEGIN;
--
-- Alter field name on author
--
CREATE TABLE "new__library_author" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(200) NOT NULL);
INSERT INTO "new__library_author" ("id", "name") SELECT "id", "name" FROM "library_author";
DROP TABLE "library_author";
ALTER TABLE "new__library_author" RENAME TO "library_author";
COMMIT;
