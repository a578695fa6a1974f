alter table report_facts drop column simple;
