-- Most dossiers have no supplement request and one appointment: their histories are sent to
-- the reports as nulls. Deciding that per row took most of a province's year (the arrays'
-- cardinality and first element, 650,000 times): kept as a stored column, computed once when
-- the facts are written, with the same conditions as the report's select list.

alter table report_facts
    add column simple boolean generated always as (
        cardinality(supplement_at) = 0
        and not coalesce(cardinality(due_values) > 1 or due_values[1] <> due_at, false)
    ) stored;
