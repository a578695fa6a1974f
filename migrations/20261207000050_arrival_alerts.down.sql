delete from message_templates where kind = 'arrival';
drop table if exists staff_alerts;
