//! The virus-scan hook every upload passes (a citizen's papers, the counter's scans, files
//! fetched from the national portal): ClamAV's daemon, `clamd`, spoken to over its socket
//! (`clamd_addr`: `host:port`, or `unix:/path/to/clamd.ctl`) with its `INSTREAM` command —
//! the file in chunks, each prefixed with its length as four big-endian bytes, ended by a zero
//! length — and the answer `stream: OK` or `stream: <signature> FOUND`. Unset: nothing is
//! scanned. Set but not answering: the upload is refused (fail closed), with a message saying
//! to try again.
//!
//! [`sandbox`] is a `clamd` of the same protocol for development and the tests: it finds the
//! EICAR test string anywhere in a file (the real daemon finds it at the start).

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// What the scan says of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Clean,
    /// The signature found.
    Infected(String),
    /// The scanner did not answer (or answered something else): the file is not accepted.
    Unavailable(String),
}

/// The configured scanner (none: every file passes).
#[derive(Debug, Clone, Default)]
pub struct Scanner {
    addr: Option<String>,
}

/// Bytes per `INSTREAM` chunk.
const CHUNK: usize = 64 * 1024;
/// The EICAR anti-virus test string.
pub const EICAR: &str = r"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

impl Scanner {
    pub fn new(addr: &str) -> Self {
        Self {
            addr: (!addr.trim().is_empty()).then(|| addr.trim().to_owned()),
        }
    }

    pub fn is_on(&self) -> bool {
        self.addr.is_some()
    }

    /// Scans `bytes` (Clean when no scanner is configured).
    pub async fn scan(&self, bytes: &[u8]) -> Verdict {
        let Some(addr) = &self.addr else {
            return Verdict::Clean;
        };
        let asked = tokio::time::timeout(Duration::from_secs(60), async {
            match addr.strip_prefix("unix:") {
                Some(path) => instream(tokio::net::UnixStream::connect(path).await?, bytes).await,
                None => instream(tokio::net::TcpStream::connect(addr).await?, bytes).await,
            }
        })
        .await;
        match asked {
            Ok(Ok(answer)) => read_answer(&answer),
            Ok(Err(error)) => Verdict::Unavailable(error.to_string()),
            Err(_) => Verdict::Unavailable("no answer within 60 s".to_owned()),
        }
    }
}

/// Sends `bytes` with `zINSTREAM` and returns the daemon's answer.
async fn instream<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    bytes: &[u8],
) -> std::io::Result<String> {
    stream.write_all(b"zINSTREAM\0").await?;
    for chunk in bytes.chunks(CHUNK) {
        let len = u32::try_from(chunk.len()).unwrap_or(u32::MAX);
        stream.write_all(&len.to_be_bytes()).await?;
        stream.write_all(chunk).await?;
    }
    stream.write_all(&0u32.to_be_bytes()).await?;
    stream.flush().await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    Ok(String::from_utf8_lossy(&answer)
        .trim_end_matches(['\0', '\n'])
        .to_owned())
}

/// `stream: OK` or `stream: <signature> FOUND`; anything else is not an answer to rely on.
pub fn read_answer(answer: &str) -> Verdict {
    let Some(rest) = answer.strip_prefix("stream: ") else {
        return Verdict::Unavailable(answer.to_owned());
    };
    if rest == "OK" {
        return Verdict::Clean;
    }
    match rest.strip_suffix(" FOUND") {
        Some(signature) => Verdict::Infected(signature.to_owned()),
        None => Verdict::Unavailable(answer.to_owned()),
    }
}

/// Serves a `clamd` of the `INSTREAM` protocol (and `PING`) on `listener` until the process
/// ends: development and tests only.
pub async fn sandbox(listener: tokio::net::TcpListener) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(async move {
            let _ = answer_one(stream).await;
        });
    }
}

async fn answer_one(mut stream: tokio::net::TcpStream) -> std::io::Result<()> {
    // the command, up to its terminator ('\0' for z-commands, '\n' for n-commands)
    let mut command = Vec::new();
    loop {
        let byte = stream.read_u8().await?;
        if byte == 0 || byte == b'\n' {
            break;
        }
        command.push(byte);
        if command.len() > 32 {
            return Ok(());
        }
    }
    match command.as_slice() {
        b"zPING" | b"nPING" => stream.write_all(b"PONG\0").await,
        b"zINSTREAM" | b"nINSTREAM" => {
            let mut file = Vec::new();
            loop {
                let len = stream.read_u32().await? as usize;
                if len == 0 {
                    break;
                }
                let start = file.len();
                file.resize(start + len, 0);
                stream.read_exact(&mut file[start..]).await?;
            }
            let found = file.windows(EICAR.len()).any(|w| w == EICAR.as_bytes());
            let answer: &[u8] = if found {
                b"stream: Eicar-Test-Signature FOUND\0"
            } else {
                b"stream: OK\0"
            };
            stream.write_all(answer).await
        }
        _ => stream.write_all(b"UNKNOWN COMMAND\0").await,
    }
}

/// Scans the file stored under `key`; a file that is not clean is deleted at once.
pub async fn check_stored(
    storage: &crate::storage::Storage,
    scanner: &Scanner,
    key: &str,
) -> Verdict {
    if !scanner.is_on() {
        return Verdict::Clean;
    }
    let verdict = match storage.read(key).await {
        Ok(bytes) => scanner.scan(&bytes).await,
        Err(error) => Verdict::Unavailable(error.to_string()),
    };
    match &verdict {
        Verdict::Clean => {}
        Verdict::Infected(signature) => {
            tracing::warn!(%signature, "an upload carried malware: refused and deleted");
            let _ = storage.delete(key).await;
        }
        Verdict::Unavailable(why) => {
            tracing::error!(%why, "the virus scanner did not answer: the upload is refused");
            let _ = storage.delete(key).await;
        }
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_daemons_answers_are_read_strictly() {
        assert_eq!(read_answer("stream: OK"), Verdict::Clean);
        assert_eq!(
            read_answer("stream: Win.Test.EICAR_HDB-1 FOUND"),
            Verdict::Infected("Win.Test.EICAR_HDB-1".to_owned())
        );
        assert!(matches!(
            read_answer("INSTREAM size limit exceeded. ERROR"),
            Verdict::Unavailable(_)
        ));
        assert!(matches!(read_answer(""), Verdict::Unavailable(_)));
    }

    #[tokio::test]
    async fn the_sandbox_daemon_finds_eicar_over_the_protocol() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        tokio::spawn(sandbox(listener));
        let scanner = Scanner::new(&addr);
        assert_eq!(scanner.scan(b"%PDF-1.4 a letter").await, Verdict::Clean);
        let mut infected = b"%PDF-1.4\n".to_vec();
        infected.extend_from_slice(EICAR.as_bytes());
        assert_eq!(
            scanner.scan(&infected).await,
            Verdict::Infected("Eicar-Test-Signature".to_owned())
        );
        // a file larger than one chunk
        let big = vec![b'a'; CHUNK * 3 + 17];
        assert_eq!(scanner.scan(&big).await, Verdict::Clean);
        // nothing listening: refused, never passed
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let gone = closed.local_addr().unwrap().to_string();
        drop(closed);
        assert!(matches!(
            Scanner::new(&gone).scan(b"x").await,
            Verdict::Unavailable(_)
        ));
        assert_eq!(Scanner::new("").scan(b"anything").await, Verdict::Clean);
    }
}
