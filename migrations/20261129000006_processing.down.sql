drop table if exists clock_rules;
drop index if exists dossier_events_staff_idx;
alter table dossier_events
    drop constraint if exists dossier_events_reason_given,
    drop constraint if exists dossier_events_form_known,
    drop column if exists details, drop column if exists step_due_at, drop column if exists form,
    drop column if exists to_staff_id, drop column if exists to_agency_id, drop column if exists agency_id,
    drop column if exists actor_role, drop column if exists action;
alter table dossier_files drop constraint if exists dossier_files_purpose_known,
    drop column if exists added_by_staff, drop column if exists purpose;
drop index if exists dossiers_return_queue_idx;
drop index if exists dossiers_reception_queue_idx;
drop index if exists dossiers_cooperation_idx;
drop index if exists dossiers_assignee_idx;
drop index if exists dossiers_competent_queue_idx;
alter table dossiers
    drop constraint if exists dossiers_result_has_time,
    drop constraint if exists dossiers_cooperation_has_agency,
    drop constraint if exists dossiers_processing_has_step,
    drop column if exists filed_by, drop column if exists result_file_id, drop column if exists returned_at,
    drop column if exists result_at, drop column if exists rescheduled_at, drop column if exists original_due_at,
    drop column if exists supplement_due_at, drop column if exists cooperation_due_at,
    drop column if exists cooperating_agency_id, drop column if exists assignee_id, drop column if exists step;
drop type if exists processing_step;
