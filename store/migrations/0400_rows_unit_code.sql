-- The budget unit a row is, by its printed code (单位编码, 部门代码:
-- 123, 123001), in tables listing units (docs/output-format.md, unit_code).
-- Rows stored before it have none: re-extract to fill it.
ALTER TABLE rows ADD COLUMN unit_code TEXT;
