//! A small SMTP server on loopback that keeps what it receives, for the notification tests: it
//! speaks just enough SMTP for a real client (lettre) to deliver over a real socket.

use std::sync::{Arc, Mutex};

use mail_parser::MimeHeaders;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A message as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub rcpt: Vec<String>,
    /// The raw message (headers and body, dot-unstuffed).
    pub raw: Vec<u8>,
}

impl Received {
    /// The message parsed: subject and text body decoded from their MIME encodings.
    pub fn parsed(&self) -> (String, String, String) {
        let m = mail_parser::MessageParser::default()
            .parse(&self.raw)
            .expect("a parseable message");
        (
            m.subject().unwrap_or_default().to_owned(),
            // lines as written (the wire's CRLF back to LF)
            m.body_text(0).unwrap_or_default().replace("\r\n", "\n"),
            m.message_id().unwrap_or_default().to_owned(),
        )
    }
}

impl Received {
    /// The attachments: (file name, content).
    pub fn attachments(&self) -> Vec<(String, Vec<u8>)> {
        let m = mail_parser::MessageParser::default()
            .parse(&self.raw)
            .expect("a parseable message");
        m.attachments()
            .map(|a| {
                (
                    a.attachment_name().unwrap_or_default().to_owned(),
                    a.contents().to_vec(),
                )
            })
            .collect()
    }
}

/// The running sink: its port and what it received.
pub struct SmtpSink {
    pub port: u16,
    pub inbox: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        Self::on(listener)
    }

    /// A sink on a given listener (to restart on the same port).
    pub fn on(listener: TcpListener) -> Self {
        let port = listener.local_addr().unwrap().port();
        let inbox: Arc<Mutex<Vec<Received>>> = Arc::default();
        let kept = inbox.clone();
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let kept = kept.clone();
                tokio::spawn(async move {
                    let _ = session(socket, kept).await;
                });
            }
        });
        Self { port, inbox, task }
    }

    pub fn received(&self) -> Vec<Received> {
        self.inbox.lock().unwrap().clone()
    }
}

impl Drop for SmtpSink {
    /// Stops listening with the test.
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn session(
    socket: tokio::net::TcpStream,
    inbox: Arc<Mutex<Vec<Received>>>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink ESMTP\r\n").await?;
    let mut rcpt = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_ascii_uppercase();
        if command.starts_with("EHLO") {
            write
                .write_all(b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                .await?;
        } else if command.starts_with("RCPT TO:") {
            rcpt.push(
                line.trim_end()[8..]
                    .trim()
                    .trim_matches(['<', '>'])
                    .to_owned(),
            );
            write.write_all(b"250 OK\r\n").await?;
        } else if command == "DATA" {
            write.write_all(b"354 go on\r\n").await?;
            let mut raw = Vec::new();
            loop {
                let mut l = Vec::new();
                if lines.read_until(b'\n', &mut l).await? == 0 {
                    return Ok(());
                }
                if l == b".\r\n" {
                    break;
                }
                let l = if l.starts_with(b"..") {
                    &l[1..]
                } else {
                    &l[..]
                };
                raw.extend_from_slice(l);
            }
            inbox.lock().unwrap().push(Received {
                rcpt: std::mem::take(&mut rcpt),
                raw,
            });
            write.write_all(b"250 queued\r\n").await?;
        } else if command == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            write.write_all(b"250 OK\r\n").await?;
        }
    }
}
