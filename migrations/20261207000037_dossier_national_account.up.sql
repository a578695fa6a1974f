-- The national account a dossier was filed under: its level of assurance (F766: "account verified
-- with VNeID", TaiKhoanDuocXacThucVoiVNeID) and its technical ID (MaDoiTuong). Set at submission
-- by a citizen signed in with the national account, or from the national portal's own dossier.
alter table dossiers
    add column national_loa text,
    add column national_tech_id text;
