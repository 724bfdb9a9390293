//! The HTTP server around the router, with the limits a public server needs and `axum::serve`
//! does not have: a time to send the request head, a time to answer, a time a connection may
//! sit idle, a cap on open connections, and bounds on what a request may send.
//!
//! Connections are served by hyper-util's server (HTTP/1.1, and HTTP/2 for clients that open
//! with its preface). Every accepted connection holds a permit of a semaphore of
//! [`Limits::max_connections`]; at the cap the server stops accepting (clients wait in the
//! listen queue) until one closes. hyper closes a connection whose request head is not complete
//! within [`Limits::header_timeout`], counted from when it starts waiting for one (so a
//! kept-alive connection waiting for its next request is closed after that time too). A watchdog
//! closes a connection on which nothing was read or written for [`Limits::idle_timeout`]: first
//! politely (after the answer in progress), then, if still nothing moves, at once. That covers
//! clients that send nothing at all, HTTP/2 connections and clients that stop reading.

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};

/// The bounds of the server; `egovwatch serve` sets each from its options.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Time a client has to send a whole request head (request line and headers).
    pub header_timeout: Duration,
    /// Time the server takes at most to start answering a request; past it, 503.
    pub request_timeout: Duration,
    /// A connection on which nothing is read or written for this long is closed.
    pub idle_timeout: Duration,
    /// Connections open at once; more wait to be accepted.
    pub max_connections: usize,
    /// Bytes of a request head (request line and headers) hyper reads at most; more is refused
    /// with 431.
    pub max_head_bytes: usize,
    /// The longest request target (path and query) answered; longer ones get 414.
    pub max_uri_bytes: usize,
    /// The largest request body taken; larger ones get 413 (every route reads none yet).
    pub max_body_bytes: usize,
    /// What-if gap analyses computed at once; others wait [`Limits::busy_wait`], then 503.
    pub max_whatifs: usize,
    /// Round reports (`/{lang}/rounds/{code}/report.*`) written at once; others wait
    /// [`Limits::busy_wait`], then 503. A report of a large round takes seconds and hundreds of
    /// megabytes to write.
    pub max_reports: usize,
    /// Threads for store reads and analyses (tokio's blocking pool).
    pub blocking_threads: usize,
    /// How long a what-if or a report waits for its turn before it is refused with 503.
    pub busy_wait: Duration,
    /// Bytes of answers kept per snapshot (the response cache).
    pub cache_bytes: u64,
    /// The largest answer the server holds whole: longer bodies are streamed without an ETag,
    /// a longer gap analysis page is refused (422).
    pub max_buffer_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(60),
            max_connections: 4096,
            max_head_bytes: 64 * 1024,
            max_uri_bytes: 8 * 1024,
            max_body_bytes: 64 * 1024,
            max_whatifs: 2,
            max_reports: 1,
            blocking_threads: 12,
            busy_wait: Duration::from_secs(5),
            cache_bytes: crate::cache::DEFAULT_BUDGET,
            max_buffer_bytes: crate::cache::MAX_HASHED,
        }
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then lets open
/// answers finish (for up to 10 s).
pub async fn serve_with(
    listener: TcpListener,
    app: Router,
    limits: &Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(limits.max_head_bytes.max(8192))
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(64)
        .max_header_list_size(u32::try_from(limits.max_head_bytes).unwrap_or(u32::MAX))
        .keep_alive_interval(limits.idle_timeout / 2)
        .keep_alive_timeout(limits.header_timeout);
    let builder = Arc::new(builder);
    let permits = limits.max_connections.max(1);
    let open = Arc::new(Semaphore::new(permits));
    let (stop_tx, stop_rx) = watch::channel(false);
    let idle = limits.idle_timeout;
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = open.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((s, _)) => s,
                Err(e) => {
                    if !is_connection_error(&e) {
                        // Out of file descriptors and the like: wait rather than spin.
                        tracing::error!("accepting a connection: {e}");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let (builder, app, mut stop) = (builder.clone(), app.clone(), stop_rx.clone());
        tokio::spawn(async move {
            let _permit = permit;
            let io = Watched::new(stream);
            let activity = io.activity.clone();
            let svc = TowerToHyperService::new(app);
            let conn = builder.serve_connection(TokioIo::new(io), svc);
            tokio::pin!(conn);
            let mut closing = false;
            loop {
                let wait = idle.saturating_sub(activity.idle());
                tokio::select! {
                    r = conn.as_mut() => {
                        if let Err(e) = r {
                            tracing::debug!("connection: {e}");
                        }
                        break;
                    }
                    () = tokio::time::sleep(wait) => {
                        if activity.idle() >= idle {
                            if closing {
                                break;
                            }
                            conn.as_mut().graceful_shutdown();
                            closing = true;
                            activity.touch();
                        }
                    }
                    _ = stop.changed(), if !closing => {
                        conn.as_mut().graceful_shutdown();
                        closing = true;
                    }
                }
            }
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Every connection gives its permit back when it ends.
    let all = u32::try_from(permits).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(Duration::from_secs(10), open.acquire_many(all)).await;
    Ok(())
}

fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// When a connection last read or wrote a byte.
struct Activity {
    start: Instant,
    last_ms: AtomicU64,
}

impl Activity {
    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    fn idle(&self) -> Duration {
        let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
        self.start.elapsed().saturating_sub(last)
    }
}

/// A TCP stream that records its last read or write.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl Watched {
    fn new(inner: TcpStream) -> Watched {
        Watched {
            inner,
            activity: Arc::new(Activity {
                start: Instant::now(),
                last_ms: AtomicU64::new(0),
            }),
        }
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let r = Pin::new(&mut this.inner).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.activity.touch();
        }
        r
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.touch();
        }
        r
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.touch();
        }
        r
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
