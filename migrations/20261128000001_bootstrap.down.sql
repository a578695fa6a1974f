drop function if exists set_updated_at();
drop function if exists f_fold(text);
drop extension if exists btree_gist;
drop extension if exists pg_trgm;
drop extension if exists unaccent;
