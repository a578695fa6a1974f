drop table if exists refused_requests;
