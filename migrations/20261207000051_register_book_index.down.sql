drop index if exists dossiers_register_book_idx;
