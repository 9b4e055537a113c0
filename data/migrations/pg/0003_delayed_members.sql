-- 0003 on PostgreSQL: as ../0003_delayed_members.sql.
CREATE INDEX members_delayed ON members(mark_month) WHERE mark = '延迟毕业团员';
