-- 0003: delayed graduates by their expected month (R-D1), so that marking a
-- branch can check at once that its month stays earlier than theirs.
CREATE INDEX members_delayed ON members(mark_month) WHERE mark = '延迟毕业团员';
