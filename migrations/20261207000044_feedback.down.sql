delete from message_templates where kind like 'feedback\_%';
drop table if exists feedback_events;
drop table if exists feedback;
drop table if exists feedback_rules;
