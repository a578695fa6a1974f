-- A dossier's number in its unit's book of the year (Form 01's "số thứ tự", the rows of Form
-- 07) counts the unit's dossiers received before it that year: read by this index.
create index dossiers_register_book_idx on dossiers (receiving_agency_id, received_at, code)
    where received_at is not null;
