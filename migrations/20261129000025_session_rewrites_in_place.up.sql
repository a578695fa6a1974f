-- Room on each page for a session's next version: a session saved with the same expiry (the
-- store keeps it within half a minute, see web::session) is then rewritten in place (a
-- heap-only tuple) rather than adding an entry to both of its indexes.
alter table sessions set (fillfactor = 70);
