alter table sessions reset (fillfactor);
