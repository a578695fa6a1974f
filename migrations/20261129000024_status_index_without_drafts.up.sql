-- Drafts are never looked up by status: every draft step finds its dossier by id. But on a
-- young or small database (one draft among a few dozen rows), PostgreSQL judged
-- `status = 'draft'` on this index as selective as the primary key and planned the draft
-- steps, once for good per connection, as a walk over every draft's entry, including the dead
-- ones each submission leaves until vacuum: the work of each step grew with the dossiers
-- submitted since. Without drafts the index cannot serve them, and creating a draft no longer
-- writes to it.
drop index dossiers_status_idx;
create index dossiers_status_idx on dossiers (status, receiving_agency_id) where status <> 'draft';
