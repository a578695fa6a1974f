-- Decree 118/2025 Art. 19(5): a supplement request during appraisal goes out within
-- `clock_rules.supplement_request_days` working days of the dossier's receipt. The limit is
-- worked out once, at acceptance, with the rules and calendar then in force; after it, a
-- request is the head of the unit's decision with its reason, and it pauses the clock instead
-- of restarting it (a late request never rescues a late dossier).
alter table dossiers add column supplement_request_by timestamptz;

-- A dossier returned for completion at reception (Decree 118 Art. 17(1)(c)), once only, is
-- closed when the citizen has not completed it within this many days (the province's rule:
-- the decree sets none for reception, so it follows the supplement's 15 days of Art. 19(5)).
alter table clock_rules add column completion_reply_days integer not null default 15,
    add constraint clock_rules_completion_positive check (completion_reply_days > 0);
