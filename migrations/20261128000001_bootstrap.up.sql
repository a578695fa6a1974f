-- Extensions and helpers every later migration relies on.
create extension if not exists unaccent;
create extension if not exists pg_trgm;
create extension if not exists btree_gist;

-- Folds Vietnamese text for search: lower case, no tone or vowel marks, đ -> d.
-- unaccent() itself is only STABLE (it looks the dictionary up through search_path); naming the
-- dictionary with its schema makes the result depend on the input alone, so the wrapper may be
-- IMMUTABLE and used in generated columns and indexes.
create function f_fold(text) returns text
language sql immutable parallel safe strict
as $$ select lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

-- Keeps updated_at honest on every table that has one.
create function set_updated_at() returns trigger
language plpgsql
as $$
begin
    new.updated_at := now();
    return new;
end;
$$;
