//! A hermetic Hrana test server: HTTP (`/v1`, `/v2/pipeline`, `/v3/pipeline`, `/v3/cursor`)
//! and WebSocket (`hrana1`..`hrana3`, JSON) on one port of 127.0.0.1, backed by a SQLite file
//! in a temporary directory. It answers as a real sqld does wherever a client can tell (error
//! shapes and codes, single-use batons, stream expiry, `base_url`, auth answers) and has knobs
//! to inject latency and faults.
//!
//! ```ignore
//! let server = TestServer::builder().token("secret").start();
//! // point the shell at server.http_url() or server.ws_url() ...
//! server.fail_next(Fault::DropAfterExecute);
//! assert_eq!(server.requests(), 3);
//! ```
//!
//! **Request counting** ([`TestServer::requests`]): every POST that reaches a Hrana endpoint
//! the server serves (`/v2/pipeline`, `/v3/pipeline`, `/v3/cursor`, `/v1/execute`,
//! `/v1/batch`, with or without the `base_url` prefix) counts 1, whatever its fate (auth
//! failure, fault, bad baton); on WebSocket every message of type `request` counts 1 (`hello`
//! does not). Probes, `/health`, `/version`, 404s and WebSocket handshakes do not count.
//!
//! Each TCP connection gets its own thread (HTTP/1.1 keep-alive, or a WebSocket after an
//! upgrade). Dropping the server stops accepting, shuts every open socket down and closes
//! the port before `drop` returns.
//!
//! **Panics**: a panic in any of the server's threads (the listener, a connection's HTTP or
//! WebSocket handler, the stream sweeper) is recorded, and dropping the server then panics
//! with the recorded messages (unless the test is already panicking), so a bug in the server
//! fails the test that hit it instead of passing as a dropped connection. Injected faults
//! close connections by returning, never by panicking; only [`Fault::Panic`] panics.

mod cursor;
mod endpoints;
mod exec;
mod http;
mod namespaces;
mod replica;
#[cfg(test)]
mod tests_http;
#[cfg(test)]
mod tests_knobs;
#[cfg(test)]
mod tests_ws;
mod ws;

use namespaces::Namespaces;
use std::collections::{HashMap, VecDeque};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;

use serde_json::Value as Json;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use libsql_shell::transport::local::LocalTransport;

pub use cursor::CursorFault;
use exec::SqlStore;

/// Which protocol versions the server serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versions {
    /// `/v1`, `/v2`, `/v3` over HTTP; `hrana1`..`hrana3` over WebSocket.
    V3,
    /// `/v1` and `/v2` (no `/v3/*`: 404); `hrana1`, `hrana2`.
    V2Only,
    /// `/v1/*` only; `hrana1` only.
    V1Only,
}

impl Versions {
    fn max(self) -> u8 {
        match self {
            Versions::V3 => 3,
            Versions::V2Only => 2,
            Versions::V1Only => 1,
        }
    }
}

/// A fault for the next Hrana HTTP request (see [`TestServer::fail_next`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer normally (queued before another fault, it aims that one at a later request).
    Pass,
    /// Close the connection without executing anything or answering.
    DropBeforeExecute,
    /// Execute the request (the stream moves on to a baton the client never sees), then close
    /// the connection without answering.
    DropAfterExecute,
    /// Answer 500 `{"error":"Internal error: injected fault"}` without executing; the stream
    /// the request named is gone.
    Status500,
    /// Execute, then answer 200 with `Content-Type: application/json` and a body that is not
    /// JSON (an HTML page, as a confused proxy would send).
    Garbage,
    /// Execute, then answer 200 whose `Content-Length` promises more than is sent, and close.
    Truncated,
    /// Answer this status and body without executing (`application/json` when the body starts
    /// with `{`, else `text/plain`); the stream the request named is gone.
    Status(u16, String),
    /// Panic in the connection's handler thread without executing (the connection closes as
    /// the thread unwinds). For the server's self-test only: dropping the server then panics.
    Panic,
}

/// A fault for the next WebSocket `request` message (see [`TestServer::ws_fault_next`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WsFault {
    /// Answer normally (queued before another fault, it aims that one at a later request).
    Pass,
    /// Drop the TCP connection (no close frame) on receiving the request, without executing it.
    CloseMidRequest,
    /// Execute the request, then drop the TCP connection without answering.
    CloseAfterExecute,
}

#[derive(Debug, Clone)]
struct Config {
    token: Option<String>,
    stream_expiry: Duration,
    versions: Versions,
    base_url_prefix: Option<String>,
    ws_refuse_subprotocol: bool,
    ws_omit_subprotocol: bool,
    max_response_size: usize,
    sorted_keys: bool,
    /// Namespaces besides `default` (none: a plain single-database server).
    namespaces: Vec<String>,
    /// `--disable-default-namespace`: a request must name its database.
    disable_default_namespace: bool,
    replica: bool,
}

/// Configures a [`TestServer`]; see each method.
#[derive(Debug, Clone)]
pub struct Builder {
    cfg: Config,
}

impl Builder {
    /// Require this token: `Authorization: Bearer <token>` over HTTP, `hello.jwt` over
    /// WebSocket. Without it any token (or none) is accepted, like an sqld without auth.
    pub fn token(mut self, token: &str) -> Self {
        self.cfg.token = Some(token.to_string());
        self
    }

    /// How long an HTTP stream may stay idle before it expires (default 10 s, as on sqld).
    pub fn stream_expiry(mut self, d: Duration) -> Self {
        self.cfg.stream_expiry = d;
        self
    }

    /// Which protocol versions to serve (default [`Versions::V3`]).
    pub fn versions(mut self, v: Versions) -> Self {
        self.cfg.versions = v;
        self
    }

    /// Send `base_url = http://127.0.0.1:PORT<prefix>` in every pipeline and cursor response,
    /// and serve the Hrana endpoints under the prefix too (counted by `sticky_requests`).
    pub fn base_url_prefix(mut self, prefix: Option<&str>) -> Self {
        self.cfg.base_url_prefix = prefix.map(|p| format!("/{}", p.trim_matches('/')));
        self
    }

    /// Reject every WebSocket handshake with 400, as when none of the offered subprotocols
    /// is supported.
    pub fn ws_refuse_subprotocol(mut self, refuse: bool) -> Self {
        self.cfg.ws_refuse_subprotocol = refuse;
        self
    }

    /// Accept WebSocket handshakes without echoing a subprotocol (an old server), then speak
    /// `hrana1`. A tungstenite client that offered subprotocols fails such a handshake.
    pub fn ws_omit_subprotocol(mut self, omit: bool) -> Self {
        self.cfg.ws_omit_subprotocol = omit;
        self
    }

    /// Largest response, estimated as JSON bytes (default 10 MB, as on sqld): an `execute`
    /// or `batch` whose rows would exceed it stops at that row and fails with
    /// `RESPONSE_TOO_LARGE` (over HTTP the cap holds for a whole pipeline, over WebSocket
    /// for each request). Cursors have no cap; a WebSocket `fetch_cursor` answers at most an
    /// eighth of it (plus one entry), as sqld.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.cfg.max_response_size = bytes;
        self
    }

    /// Write the keys of every object in HTTP pipeline responses (`/v2`, `/v3`) in
    /// alphabetical order (`base_url` before `baton`, `result` before `type`) instead of
    /// sqld's order. Hrana fixes no order. (WebSocket and cursor replies are unaffected.)
    pub fn sorted_keys(mut self, sorted: bool) -> Self {
        self.cfg.sorted_keys = sorted;
        self
    }

    /// Serve these namespaces besides `default`, each its own database, chosen per request
    /// as sqld does with `--enable-namespaces` (see [`namespaces`]).
    pub fn namespaces(mut self, names: &[&str]) -> Self {
        self.cfg.namespaces = names.iter().map(|n| n.to_string()).collect();
        self
    }

    /// `--disable-default-namespace`: a request that names no namespace is refused.
    pub fn disable_default_namespace(mut self, disable: bool) -> Self {
        self.cfg.disable_default_namespace = disable;
        self
    }

    /// Play a read replica that has not caught up (see [`replica`]): reads that carry no
    /// `replication_index` (or an older one) see the database as of the server's start or
    /// the last request that carried the latest index.
    pub fn replica(mut self, on: bool) -> Self {
        self.cfg.replica = on;
        self
    }

    pub fn start(self) -> TestServer {
        TestServer::start_with(self.cfg)
    }
}

/// One HTTP stream slot, keyed by its current baton.
enum Slot {
    Open {
        stream: Box<HttpStream>,
        last_used: Instant,
    },
    Expired,
}

/// An HTTP stream: one connection and its stored SQL texts.
pub(crate) struct HttpStream {
    t: LocalTransport,
    sqls: SqlStore,
}

/// State shared by the listener, the connection threads and the [`TestServer`] handle.
pub(crate) struct Shared {
    cfg: Config,
    port: u16,
    db_path: PathBuf,
    namespaces: Option<Namespaces>,
    /// The headers of every HTTP request and WebSocket handshake (lower-case names).
    header_log: Mutex<Vec<Vec<(String, String)>>>,
    requests: AtomicUsize,
    sticky_requests: AtomicUsize,
    pipeline_log: Mutex<Vec<Vec<String>>>,
    ws_handshakes: Mutex<Vec<Option<String>>>,
    ws_log: Mutex<Vec<String>>,
    latency: Mutex<Duration>,
    faults: Mutex<VecDeque<Fault>>,
    ws_faults: Mutex<VecDeque<WsFault>>,
    cursor_faults: Mutex<VecDeque<CursorFault>>,
    read_only: AtomicBool,
    ws_hello_error: AtomicBool,
    streams: Mutex<HashMap<String, Slot>>,
    ws_open_streams: AtomicUsize,
    replication_index: AtomicU64,
    /// Replica mode's delayed view ([`replica`]).
    replica: replica::Replica,
    /// Requests that carried the latest replication index (replica mode).
    replica_waits: AtomicUsize,
    /// The `replication_index` of every `execute` and `batch` received, in order.
    carried: Mutex<Vec<Option<u64>>>,
    baton_counter: AtomicU64,
    conns: Mutex<HashMap<u64, TcpStream>>,
    /// Connection threads spawned and not yet finished.
    live_handlers: AtomicUsize,
    /// One line per panic in a server thread (its name and message), for `Drop` to report.
    panics: Mutex<Vec<String>>,
    shutdown: AtomicBool,
}

/// Lock a mutex, ignoring poisoning (a panicking test thread must not wedge the server).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shared {
    fn base_url(&self) -> Option<String> {
        self.cfg
            .base_url_prefix
            .as_ref()
            .map(|p| format!("http://127.0.0.1:{}{p}", self.port))
    }

    /// The database a request's headers name (the only one without namespaces), or the
    /// refusal sqld would give. Logs the headers.
    pub(crate) fn database(&self, headers: &[(String, String)]) -> Result<PathBuf, (u16, Json)> {
        lock(&self.header_log).push(headers.to_vec());
        match &self.namespaces {
            None => Ok(self.db_path.clone()),
            Some(n) => n.resolve(headers),
        }
    }

    fn count_request(&self, sticky: bool) {
        self.requests.fetch_add(1, Ordering::SeqCst);
        if sticky {
            self.sticky_requests.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Sleep the configured latency, in short steps: a server being dropped stops waiting (so
    /// that its drop need not wait for the latency of the requests in flight).
    fn sleep_latency(&self) {
        let end = Instant::now() + *lock(&self.latency);
        while !self.shutdown.load(Ordering::SeqCst) {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            thread::sleep(left.min(Duration::from_millis(10)));
        }
    }

    /// A fresh unguessable baton: a counter and 128 bits from std's randomly keyed hasher.
    fn new_baton(&self) -> String {
        use std::hash::{BuildHasher, Hasher};
        let n = self.baton_counter.fetch_add(1, Ordering::SeqCst);
        let mut out = String::new();
        for salt in 0..2u64 {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(n);
            h.write_u64(salt);
            h.write_u128(Instant::now().elapsed().as_nanos());
            out.push_str(&format!("{:016x}", h.finish()));
        }
        format!("{out}{n:x}")
    }

    /// The latest replication index (that of the last write).
    fn replication_index(&self) -> u64 {
        self.replication_index.load(Ordering::SeqCst)
    }

    /// A request carried the latest replication index (replica mode).
    fn note_waited(&self) {
        self.replica_waits.fetch_add(1, Ordering::SeqCst);
    }

    /// Bump the (fake) replication index after writes; returns its value.
    fn note_writes(&self, written: u64) -> u64 {
        if written > 0 {
            self.replication_index.fetch_add(1, Ordering::SeqCst) + 1
        } else {
            self.replication_index.load(Ordering::SeqCst)
        }
    }

    /// Expire every idle stream that has outlived the expiry (dropping its connection, so a
    /// transaction it held is rolled back and its locks released).
    fn sweep(&self) {
        let expiry = self.cfg.stream_expiry;
        for slot in lock(&self.streams).values_mut() {
            if matches!(slot, Slot::Open { last_used, .. } if last_used.elapsed() >= expiry) {
                *slot = Slot::Expired;
            }
        }
    }
}

/// The running server; dropping it shuts it down. See the module docs.
pub struct TestServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    listener: Option<JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// A server with the defaults: no token, 10 s expiry, all versions, no base_url.
    pub fn start() -> TestServer {
        Self::builder().start()
    }

    pub fn builder() -> Builder {
        Builder {
            cfg: Config {
                token: None,
                stream_expiry: Duration::from_secs(10),
                versions: Versions::V3,
                base_url_prefix: None,
                ws_refuse_subprotocol: false,
                ws_omit_subprotocol: false,
                max_response_size: 10_000_000,
                sorted_keys: false,
                namespaces: Vec::new(),
                disable_default_namespace: false,
                replica: false,
            },
        }
    }

    fn start_with(cfg: Config) -> TestServer {
        let dir = tempfile::TempDir::new().expect("temp dir");
        let db_path = dir.path().join("server.db");
        let conn = rusqlite::Connection::open(&db_path).expect("create server database");
        conn.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))
            .expect("WAL mode");
        drop(conn);
        let namespaces = (!cfg.namespaces.is_empty() || cfg.disable_default_namespace).then(|| {
            Namespaces::create(
                dir.path(),
                &db_path,
                &cfg.namespaces,
                !cfg.disable_default_namespace,
            )
        });
        let replica_on = cfg.replica;
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let shared = Arc::new(Shared {
            cfg,
            port: addr.port(),
            db_path,
            namespaces,
            header_log: Mutex::new(Vec::new()),
            requests: AtomicUsize::new(0),
            sticky_requests: AtomicUsize::new(0),
            pipeline_log: Mutex::new(Vec::new()),
            ws_handshakes: Mutex::new(Vec::new()),
            ws_log: Mutex::new(Vec::new()),
            latency: Mutex::new(Duration::ZERO),
            faults: Mutex::new(VecDeque::new()),
            ws_faults: Mutex::new(VecDeque::new()),
            cursor_faults: Mutex::new(VecDeque::new()),
            read_only: AtomicBool::new(false),
            ws_hello_error: AtomicBool::new(false),
            streams: Mutex::new(HashMap::new()),
            ws_open_streams: AtomicUsize::new(0),
            replication_index: AtomicU64::new(1),
            replica: replica::Replica::new(replica_on),
            replica_waits: AtomicUsize::new(0),
            carried: Mutex::new(Vec::new()),
            baton_counter: AtomicU64::new(0),
            conns: Mutex::new(HashMap::new()),
            live_handlers: AtomicUsize::new(0),
            panics: Mutex::new(Vec::new()),
            shutdown: AtomicBool::new(false),
        });
        if replica_on {
            shared.replica.catch_up(&shared);
        }
        spawn_sweeper(Arc::downgrade(&shared));
        let s = shared.clone();
        let handle = thread::Builder::new()
            .name("hrana-test-listener".into())
            .spawn(move || {
                let record = s.clone();
                guarded(&record, move || accept_loop(s, listener));
            })
            .expect("spawn listener");
        TestServer {
            shared,
            addr,
            listener: Some(handle),
            _dir: dir,
        }
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn http_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
    }

    /// `ws://127.0.0.1:PORT` (WebSocket upgrades are accepted on any path).
    pub fn ws_url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.addr.port())
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The database file every stream opens (WAL mode), for direct checks with rusqlite.
    pub fn db_path(&self) -> PathBuf {
        self.shared.db_path.clone()
    }

    /// The database file of a namespace (`default` is [`TestServer::db_path`]).
    pub fn namespace_path(&self, name: &str) -> PathBuf {
        match &self.shared.namespaces {
            Some(n) => n
                .path(name)
                .expect("a namespace of this server")
                .to_path_buf(),
            None => self.shared.db_path.clone(),
        }
    }

    /// The headers of every HTTP request and WebSocket handshake so far, in order.
    pub fn header_log(&self) -> Vec<Vec<(String, String)>> {
        lock(&self.shared.header_log).clone()
    }

    /// The `base_url` the server advertises, if configured with a prefix.
    pub fn base_url(&self) -> Option<String> {
        self.shared.base_url()
    }

    /// Requests that carried the latest replication index (replica mode: each made the
    /// replica catch up).
    pub fn replica_waits(&self) -> usize {
        self.shared.replica_waits.load(Ordering::SeqCst)
    }

    /// The `replication_index` each `execute` and `batch` carried (HTTP and WebSocket), in
    /// arrival order.
    pub fn carried_indexes(&self) -> Vec<Option<u64>> {
        lock(&self.shared.carried).clone()
    }

    /// The latest replication index the server has given out.
    pub fn latest_replication_index(&self) -> u64 {
        self.shared.replication_index()
    }

    /// Hrana requests received (see the module docs for what counts).
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// Those of [`requests`](Self::requests) that arrived under the `base_url` prefix.
    pub fn sticky_requests(&self) -> usize {
        self.shared.sticky_requests.load(Ordering::SeqCst)
    }

    /// For each HTTP pipeline POST whose body parsed as JSON, in arrival order, the `type` of
    /// each stream request, e.g. `["store_sql", "batch", "close"]`.
    pub fn pipeline_log(&self) -> Vec<Vec<String>> {
        lock(&self.shared.pipeline_log).clone()
    }

    /// For each accepted WebSocket handshake, the subprotocol echoed (`None`: no header,
    /// which means `hrana1`).
    pub fn ws_handshakes(&self) -> Vec<Option<String>> {
        lock(&self.shared.ws_handshakes).clone()
    }

    /// The `type` of every WebSocket `request` message, in arrival order over all
    /// connections, e.g. `["open_stream", "batch", "get_autocommit", "close_stream"]`.
    pub fn ws_log(&self) -> Vec<String> {
        lock(&self.shared.ws_log).clone()
    }

    /// Zero `requests`, `sticky_requests`, the pipeline, handshake and WebSocket logs.
    pub fn reset_counters(&self) {
        self.shared.requests.store(0, Ordering::SeqCst);
        self.shared.sticky_requests.store(0, Ordering::SeqCst);
        lock(&self.shared.pipeline_log).clear();
        lock(&self.shared.ws_handshakes).clear();
        lock(&self.shared.ws_log).clear();
    }

    /// Sleep this long before handling each Hrana request (HTTP POST or WebSocket request).
    pub fn set_latency(&self, d: Duration) {
        *lock(&self.shared.latency) = d;
    }

    /// Queue a fault: each queued fault applies to one later Hrana HTTP request, in order.
    pub fn fail_next(&self, f: Fault) {
        lock(&self.shared.faults).push_back(f);
    }

    /// Queue a fault for a later WebSocket `request` message.
    pub fn ws_fault_next(&self, f: WsFault) {
        lock(&self.shared.ws_faults).push_back(f);
    }

    /// Queue a fault for a later cursor (HTTP `/v3/cursor` or WebSocket `open_cursor`): each
    /// queued fault applies to the next cursor opened, in order.
    pub fn cursor_fault_next(&self, f: CursorFault) {
        lock(&self.shared.cursor_faults).push_back(f);
    }

    /// Expire every open HTTP stream now: its connection is dropped (rolling back any
    /// transaction) and its baton gets 400 `STREAM_EXPIRED`. Streams in the middle of a
    /// request are not affected.
    pub fn expire_streams_now(&self) {
        for slot in lock(&self.shared.streams).values_mut() {
            *slot = Slot::Expired;
        }
    }

    /// Play a read-only token: a write statement fails the whole HTTP request with 403
    /// (`{"error":"Authorization forbidden: ..."}`), and closes a WebSocket with 1008.
    pub fn set_read_only(&self, ro: bool) {
        self.shared.read_only.store(ro, Ordering::SeqCst);
    }

    /// Replica mode: the primary cannot be reached (`on`), or can again. A request with a
    /// step the replica would forward to it (writes, `BEGIN IMMEDIATE`, the COMMIT of a
    /// transaction that wrote: [`replica::forwarded`]) fails as a whole, as on sqld (HTTP
    /// 500, the WebSocket closed), and runs nothing; reads still run.
    pub fn set_primary_unreachable(&self, on: bool) {
        *lock(&self.shared.replica.primary) = on.then_some(0);
    }

    /// Replica mode: the primary takes `steps` more forwarded steps (a request's steps all
    /// count when it is admitted), then cannot be reached
    /// (as with [`set_primary_unreachable`](Self::set_primary_unreachable)).
    pub fn primary_unreachable_after(&self, steps: usize) {
        *lock(&self.shared.replica.primary) = Some(steps);
    }

    /// Answer every WebSocket `hello` with `hello_error` (`AUTH_JWT_INVALID`) and close.
    pub fn ws_hello_error(&self, on: bool) {
        self.shared.ws_hello_error.store(on, Ordering::SeqCst);
    }

    /// Open streams: HTTP streams waiting for their baton plus open WebSocket streams.
    pub fn open_streams(&self) -> usize {
        let http = lock(&self.shared.streams)
            .values()
            .filter(|s| matches!(s, Slot::Open { .. }))
            .count();
        http + self.shared.ws_open_streams.load(Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        // Wake the blocking accept() so the listener sees the flag and closes the port.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(h) = self.listener.take() {
            let _ = h.join();
        }
        for (_, s) in lock(&self.shared.conns).drain() {
            let _ = s.shutdown(Shutdown::Both);
        }
        lock(&self.shared.streams).clear();
        if thread::panicking() {
            return;
        }
        // The sockets are shut down, so the connection threads end at once; wait (a bounded
        // time) for them, so that a panic just before the drop is recorded too.
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.shared.live_handlers.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(2));
        }
        let panics = std::mem::take(&mut *lock(&self.shared.panics));
        if !panics.is_empty() {
            panic!("the test server's threads panicked:\n{}", panics.join("\n"));
        }
    }
}

/// Run `f`, the work of one of the server's threads; a panic in it is recorded in
/// `shared.panics` (with the thread's name) for `Drop` to report. Returns whether `f` finished.
fn guarded(shared: &Shared, f: impl FnOnce()) -> bool {
    let Err(payload) = panic::catch_unwind(AssertUnwindSafe(f)) else {
        return true;
    };
    let msg = if let Some(m) = payload.downcast_ref::<&str>() {
        m.to_string()
    } else if let Some(m) = payload.downcast_ref::<String>() {
        m.clone()
    } else {
        "(a panic without a message)".to_string()
    };
    let name = thread::current().name().unwrap_or("unnamed").to_string();
    lock(&shared.panics).push(format!("{name}: {msg}"));
    false
}

/// Counts one connection thread in `live_handlers` while it lives (dropped with the thread's
/// closure, or with the closure when the thread could not be spawned).
struct LiveHandler(Arc<Shared>);

impl LiveHandler {
    fn new(shared: &Arc<Shared>) -> LiveHandler {
        shared.live_handlers.fetch_add(1, Ordering::SeqCst);
        LiveHandler(shared.clone())
    }
}

impl Drop for LiveHandler {
    fn drop(&mut self) {
        self.0.live_handlers.fetch_sub(1, Ordering::SeqCst);
    }
}

fn accept_loop(shared: Arc<Shared>, listener: TcpListener) {
    let mut next_id = 0u64;
    for sock in listener.incoming() {
        if shared.shutdown.load(Ordering::SeqCst) {
            break;
        }
        let Ok(sock) = sock else { continue };
        let _ = sock.set_nodelay(true);
        next_id += 1;
        let id = next_id;
        if let Ok(clone) = sock.try_clone() {
            lock(&shared.conns).insert(id, clone);
        }
        let s = shared.clone();
        let live = LiveHandler::new(&shared);
        let spawned = thread::Builder::new()
            .name(format!("hrana-test-conn-{id}"))
            .spawn(move || {
                guarded(&s, || http::serve_connection(&s, sock));
                lock(&s.conns).remove(&id);
                drop(live);
            });
        if spawned.is_err() {
            lock(&shared.conns).remove(&id);
        }
    }
}

/// Expires idle streams in the background, so an abandoned transaction releases its locks on
/// time even when no request comes; stops once the server is gone.
fn spawn_sweeper(shared: Weak<Shared>) {
    let every = match shared.upgrade() {
        Some(s) => {
            (s.cfg.stream_expiry / 4).clamp(Duration::from_millis(5), Duration::from_millis(250))
        }
        None => return,
    };
    let _ = thread::Builder::new()
        .name("hrana-test-sweeper".into())
        .spawn(move || loop {
            thread::sleep(every);
            match shared.upgrade() {
                Some(s) if !s.shutdown.load(Ordering::SeqCst) => {
                    if !guarded(&s, || s.sweep()) {
                        break;
                    }
                }
                _ => break,
            }
        });
}
