-- A drive's name in Hindi (the drive file's name_local), shown wherever a
-- Hindi page or message names the drive; '' shows the name.
ALTER TABLE drives ADD COLUMN name_local TEXT NOT NULL DEFAULT '';
