delete from message_templates where body like '%{pin_line}%'
    or body like '%(Mẫu 01) được đính kèm thư này%' or body like '%(Form 01) is attached%';
alter table notify_queue drop column if exists pin;
