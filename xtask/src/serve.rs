//! `cargo xtask serve`: builds the web app with trunk and serves `dist/` on 127.0.0.1.
//!
//! The server is a small static file server on `std::net`, one thread per connection: GET and
//! HEAD only, a Content-Type by extension (`.wasm` must be `application/wasm` for streaming
//! compilation), 404 for what is missing, and no way out of `dist/` (`..` is refused). The e2e
//! tests start the same server on a thread ([`Server::start`]) rather than a second process.

use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::{bail, Context, Result};

use crate::{cmd, setup};

/// The port the app is served on unless `--port` says otherwise.
pub const DEFAULT_PORT: u16 = 8080;

/// Where `trunk build` puts the app (`dist` in `Trunk.toml`).
pub const DIST: &str = "dist";

/// `serve`'s options.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub port: u16,
    /// `--no-build`: serve the `dist/` that is already there.
    pub build: bool,
}

/// Parses `[--port N] [--no-build]` (also `--port=N`).
pub fn parse_args(args: &[String]) -> Result<Options> {
    let mut options = Options {
        port: DEFAULT_PORT,
        build: true,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = if arg == "--no-build" {
            options.build = false;
            continue;
        } else if arg == "--port" {
            args.next()
                .context("`--port` needs a value, e.g. `--port 8080`")?
        } else if let Some(value) = arg.strip_prefix("--port=") {
            value
        } else {
            bail!("`serve` accepts only `--port N` and `--no-build`, got `{arg}`");
        };
        options.port = parse_port(value)?;
    }
    Ok(options)
}

fn parse_port(value: &str) -> Result<u16> {
    match value.parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => bail!("`--port {value}`: expected a port number 1-65535"),
    }
}

/// Builds the app (unless `--no-build`), then serves it until the process is stopped.
pub fn run(options: Options) -> Result<()> {
    if options.build {
        setup::ensure(&[setup::BASE, setup::APP])?;
        cmd::trunk_build()?;
    }
    require_dist()?;
    let server = Server::start(Path::new(DIST), options.port, true)?;
    println!(
        "xtask serve: serving {DIST}/ on {} (Ctrl-C to stop)",
        server.url()
    );
    server.wait();
    Ok(())
}

/// Fails with what to do when there is no built app to serve.
pub fn require_dist() -> Result<()> {
    let index = Path::new(DIST).join("index.html");
    if !index.is_file() {
        bail!(
            "{} is missing: the app has not been built. Run `cargo xtask serve` or \
             `cargo xtask e2e` without `--no-build` (they build it first)",
            index.display()
        );
    }
    Ok(())
}

/// A running static file server; dropping it stops accepting connections.
pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds 127.0.0.1:`port` and serves `root` on a background thread. With `log`, prints one
    /// line per request.
    pub fn start(root: &Path, port: u16, log: bool) -> Result<Server> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).with_context(|| {
            format!("cannot listen on 127.0.0.1:{port} (in use? try `--port N`)")
        })?;
        Self::on(listener, root, log)
    }

    /// Serves `root` on an already bound listener.
    pub fn on(listener: TcpListener, root: &Path, log: bool) -> Result<Server> {
        let addr = listener.local_addr().context("listener has no address")?;
        let root = root.to_path_buf();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let root = root.clone();
                std::thread::spawn(move || {
                    if let Err(err) = handle(stream, &root, log) {
                        if log {
                            eprintln!("xtask serve: {err:#}");
                        }
                    }
                });
            }
        });
        Ok(Server {
            addr,
            stop,
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Blocks for as long as the server runs (for `cargo xtask serve`).
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // `accept` blocks; one more connection wakes the loop so it sees the flag and ends.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A response before it is written: status, content type and body.
struct Response {
    status: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Response {
    fn text(status: &'static str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: format!("{status}\n").into_bytes(),
        }
    }
}

/// Reads one request, answers it and closes the connection.
fn handle(stream: TcpStream, root: &Path, log: bool) -> Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // The headers tell us nothing we need; read them so the client sees a clean close.
    let mut header = String::new();
    let mut header_bytes = 0;
    loop {
        header.clear();
        let n = reader.read_line(&mut header)?;
        header_bytes += n;
        if n == 0 || header == "\r\n" || header == "\n" || header_bytes > 64 * 1024 {
            break;
        }
    }

    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let response = match method {
        "GET" | "HEAD" => respond(root, target),
        "" => return Ok(()), // a connection that sent nothing (e.g. the wake-up in `drop`)
        _ => Response::text("405 Method Not Allowed"),
    };
    if log {
        println!("{method} {target} {}", response.status);
    }

    let mut out = stream;
    let head = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\
         {}Connection: close\r\n\r\n",
        response.status,
        response.content_type,
        response.body.len(),
        if response.status.starts_with("405") {
            "Allow: GET, HEAD\r\n"
        } else {
            ""
        },
    );
    out.write_all(head.as_bytes())?;
    if method != "HEAD" {
        out.write_all(&response.body)?;
    }
    out.flush()?;
    Ok(())
}

/// The response for a GET of `target` (`/path?query`) under `root`.
fn respond(root: &Path, target: &str) -> Response {
    let Some(relative) = safe_path(target) else {
        return Response::text("400 Bad Request");
    };
    let mut path = root.join(relative);
    if path.is_dir() {
        path.push("index.html");
    }
    match std::fs::read(&path) {
        Ok(body) => Response {
            status: "200 OK",
            content_type: content_type(&path),
            body,
        },
        Err(_) => Response::text("404 Not Found"),
    }
}

/// The file path a request target names, relative to the served root; `None` if it is not a
/// plain absolute path or would leave the root (`..`, encoded or not).
fn safe_path(target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(path)?;
    let mut relative = PathBuf::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s if s.contains('\\') || s.contains('\0') => return None,
            s => relative.push(s),
        }
    }
    Some(relative)
}

/// `%XX` escapes decoded; `None` for a malformed escape or a result that is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|ext| ext.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_default_and_parse_both_spellings() {
        let parsed = |list: &[&str]| parse_args(&args(list)).unwrap();
        assert_eq!(
            parsed(&[]),
            Options {
                port: DEFAULT_PORT,
                build: true
            }
        );
        assert_eq!(parsed(&["--port", "3000"]).port, 3000);
        assert_eq!(parsed(&["--port=9000"]).port, 9000);
        assert_eq!(
            parsed(&["--no-build", "--port", "8137"]),
            Options {
                port: 8137,
                build: false
            }
        );
    }

    #[test]
    fn options_reject_bad_input() {
        assert!(parse_args(&args(&["--port"])).is_err());
        assert!(parse_args(&args(&["--port", "0"])).is_err());
        assert!(parse_args(&args(&["--port", "70000"])).is_err());
        assert!(parse_args(&args(&["--verbose"])).is_err());
    }

    #[test]
    fn paths_stay_inside_the_root() {
        assert_eq!(safe_path("/"), Some(PathBuf::new()));
        assert_eq!(safe_path("/?s=abc#x"), Some(PathBuf::new()));
        assert_eq!(
            safe_path("/a/./b%20c.js"),
            Some(PathBuf::from("a").join("b c.js"))
        );
        assert_eq!(safe_path("/../etc/passwd"), None);
        assert_eq!(safe_path("/a/%2e%2e/%2E%2E/x"), None);
        assert_eq!(safe_path("/a%2f..%2f..%2fx"), None);
        assert_eq!(safe_path("/a%5c..%5cx"), None);
        assert_eq!(safe_path("/bad%zz"), None);
        assert_eq!(safe_path("relative"), None);
        assert_eq!(safe_path("http://example.com/"), None);
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type(Path::new("x/app_bg.wasm")), "application/wasm");
        assert_eq!(
            content_type(Path::new("index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("a.JS")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("a.svg")), "image/svg+xml");
        assert_eq!(content_type(Path::new("noext")), "application/octet-stream");
    }

    /// One raw HTTP exchange with the server; returns the whole response as text.
    fn exchange(addr: &str, request: &str) -> String {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    }

    #[test]
    fn serves_files_index_404_and_head() {
        let root = std::env::temp_dir().join(format!("xtask-serve-test-{}", std::process::id()));
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("index.html"), "<p>hi</p>").unwrap();
        std::fs::write(root.join("sub").join("app.wasm"), [0u8, 97, 115, 109]).unwrap();
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let server = Server::on(listener, &root, false).unwrap();
        let addr = server.url().trim_start_matches("http://").to_string();

        let index = exchange(&addr, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(index.starts_with("HTTP/1.1 200 OK\r\n"), "{index}");
        assert!(index.contains("Content-Type: text/html; charset=utf-8\r\n"));
        assert!(index.ends_with("\r\n\r\n<p>hi</p>"));

        let wasm = exchange(&addr, "HEAD /sub/app.wasm HTTP/1.1\r\n\r\n");
        assert!(
            wasm.contains("Content-Type: application/wasm\r\n"),
            "{wasm}"
        );
        assert!(wasm.contains("Content-Length: 4\r\n"));
        assert!(wasm.ends_with("\r\n\r\n"), "HEAD has no body");

        let missing = exchange(&addr, "GET /nope.js HTTP/1.1\r\n\r\n");
        assert!(
            missing.starts_with("HTTP/1.1 404 Not Found\r\n"),
            "{missing}"
        );
        let escape = exchange(&addr, "GET /../Cargo.toml HTTP/1.1\r\n\r\n");
        assert!(
            escape.starts_with("HTTP/1.1 400 Bad Request\r\n"),
            "{escape}"
        );
        let post = exchange(&addr, "POST / HTTP/1.1\r\n\r\n");
        assert!(post.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"));
        assert!(post.contains("Allow: GET, HEAD\r\n"));

        drop(server);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
