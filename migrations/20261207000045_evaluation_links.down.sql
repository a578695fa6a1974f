delete from message_templates where body like '%{rating_link}%' or sms like '%{rating_link}%';
drop table if exists national_evaluation_outbox;
drop table if exists national_feeds;
drop table if exists evaluation_links;
