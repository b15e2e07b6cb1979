//! A userspace link emulator for the benchmark: this kernel has no `netem`, and loopback hides
//! what users feel over a real link (round trips, flow-control windows).
//!
//!     link serve --target 127.0.0.1:50051 --delay-ms 50 --rate-mbit 1000   # prints `listening on ADDR`
//!     link check --delay-ms 50 --rate-mbit 1000                            # verifies itself, prints JSON
//!
//! `serve` is a TCP proxy on 127.0.0.1. Per connection and per direction it queues the bytes it
//! reads, paces them out at the link's rate and delivers each byte `delay` after it left, so one
//! round trip costs 2 × delay and a stream gets at most `rate`. The queue holds about rate × delay
//! (the bytes "on the wire") plus a small router buffer; when it is full the proxy stops reading,
//! so TCP back-pressure reaches the sender exactly as a full link would. The TCP handshake costs
//! one round trip: nothing is delivered to the server before 1.5 RTT after the connection was
//! accepted, and nothing from the server reaches the client before 2 RTT.
//!
//! `check` measures the emulator with raw TCP, before any figure taken through it is trusted:
//! bulk throughput (≈ rate), ping-pong (≈ 2 × delay), a sender limited to a 256 KiB window
//! (≈ window ÷ RTT, below the rate), and connect + first echo (≈ 2 RTT).

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug)]
struct Link {
    /// One-way delay.
    delay: Duration,
    /// Bytes per second.
    rate: f64,
}

impl Link {
    fn rtt(&self) -> Duration {
        self.delay * 2
    }

    /// The most bytes one direction holds: those in flight over `delay`, plus a router buffer of
    /// a quarter of that and 512 KiB, so a sender that keeps up never leaves the link idle. (With
    /// 64 KiB, a 1 ms / 1 Gbit link measured 0.88 of its rate on raw TCP on a loaded machine: the
    /// threads that carry it wake late, and a queue that small runs dry meanwhile.)
    fn queue_bound(&self) -> usize {
        let in_flight = self.rate * self.delay.as_secs_f64();
        (in_flight * 1.25) as usize + 512 * 1024
    }

    fn serialization(&self, bytes: usize) -> Duration {
        Duration::from_secs_f64(bytes as f64 / self.rate)
    }
}

/// One direction of one connection: bytes with the instant they reach the far end.
#[derive(Default)]
struct Queue {
    packets: VecDeque<(Instant, Vec<u8>)>,
    queued: usize,
    reader_done: bool,
}

#[derive(Default)]
struct Direction {
    queue: Mutex<Queue>,
    /// Signalled when a packet is queued, the reader ends, or the writer frees room.
    changed: Condvar,
}

/// Carries one direction: `from` → queue (paced, delayed) → `to`, on two plain threads, since
/// their sleeps keep microseconds where an async timer rounds to the millisecond. Nothing
/// reaches `to` before `not_before` (the handshake).
fn carry(mut from: TcpStream, mut to: TcpStream, link: Link, not_before: Instant) {
    let dir = Arc::new(Direction::default());
    let bound = link.queue_bound();

    // On a failed write, reading on is pointless: the reader is told by closing its side.
    let reader_side = from.try_clone().ok();
    let writer = {
        let dir = dir.clone();
        thread::spawn(move || loop {
            let mut q = dir.queue.lock().expect("queue");
            let at = loop {
                match q.packets.front() {
                    Some((at, _)) => break *at,
                    None if q.reader_done => {
                        let _ = to.shutdown(Shutdown::Write);
                        return;
                    }
                    None => q = dir.changed.wait(q).expect("queue"),
                }
            };
            drop(q);
            if let Some(wait) = at.checked_duration_since(Instant::now()) {
                thread::sleep(wait);
            }
            // Everything due by now goes out in one write.
            let mut due = Vec::new();
            let mut q = dir.queue.lock().expect("queue");
            let now = Instant::now();
            while q.packets.front().is_some_and(|(at, _)| *at <= now) {
                let (_, bytes) = q.packets.pop_front().expect("front was checked");
                q.queued -= bytes.len();
                due.extend_from_slice(&bytes);
            }
            drop(q);
            dir.changed.notify_all();
            if to.write_all(&due).is_err() {
                if let Some(reader) = &reader_side {
                    let _ = reader.shutdown(Shutdown::Read);
                }
                return;
            }
        })
    };

    let mut link_free = Instant::now();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        // Read only while the link has room: a full link pushes back on the sender.
        let mut q = dir.queue.lock().expect("queue");
        while q.queued >= bound {
            q = dir.changed.wait(q).expect("queue");
        }
        let want = (bound - q.queued).min(buf.len());
        drop(q);
        let n = match from.read(&mut buf[..want]) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let departs = link_free.max(Instant::now());
        link_free = departs + link.serialization(n);
        let arrives = (link_free + link.delay).max(not_before);
        let mut q = dir.queue.lock().expect("queue");
        q.packets.push_back((arrives, buf[..n].to_vec()));
        q.queued += n;
        drop(q);
        dir.changed.notify_all();
    }
    dir.queue.lock().expect("queue").reader_done = true;
    dir.changed.notify_all();
    let _ = writer.join();
}

fn proxy(client: TcpStream, target: SocketAddr, link: Link) {
    let accepted = Instant::now();
    let Ok(server) = TcpStream::connect(target) else {
        return;
    };
    let _ = (client.set_nodelay(true), server.set_nodelay(true));
    let (Ok(client_rd), Ok(server_rd)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    // SYN, SYN-ACK, then the client's first bytes ride with its ACK: they reach the server 1.5 RTT
    // after connect(); the server's first answer reaches the client half an RTT later still.
    let to_server =
        thread::spawn(move || carry(client_rd, server, link, accepted + link.delay * 3));
    carry(server_rd, client, link, accepted + link.delay * 4);
    let _ = to_server.join();
}

fn serve(listener: TcpListener, target: SocketAddr, link: Link) {
    for client in listener.incoming().flatten() {
        thread::spawn(move || proxy(client, target, link));
    }
}

/// Starts an emulator in this process in front of `target`; returns its address.
fn start(target: SocketAddr, link: Link) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind the emulator");
    let addr = listener.local_addr().expect("emulator address");
    thread::spawn(move || serve(listener, target, link));
    addr
}

/// A raw peer on loopback that handles one connection with `peer`.
fn raw_peer(peer: impl FnOnce(TcpStream) + Send + 'static) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a raw peer");
    let addr = listener.local_addr().expect("raw peer address");
    thread::spawn(move || {
        let (conn, _) = listener.accept().expect("accept");
        conn.set_nodelay(true).expect("nodelay");
        peer(conn);
    });
    addr
}

fn connect(via: SocketAddr) -> TcpStream {
    let conn = TcpStream::connect(via).expect("connect");
    conn.set_nodelay(true).expect("nodelay");
    conn
}

/// Bulk throughput: bytes/second between the first and the last byte at the receiver.
fn bulk(link: Link, total: usize) -> f64 {
    let (tx, rx) = std::sync::mpsc::channel();
    let sink = raw_peer(move |mut conn| {
        let mut buf = vec![0u8; 256 * 1024];
        let (mut got, mut first) = (0usize, None);
        while got < total {
            match conn.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => got += n,
            }
            first.get_or_insert_with(Instant::now);
        }
        let _ = tx.send(got as f64 / first.expect("some bytes").elapsed().as_secs_f64());
    });
    let mut conn = connect(start(sink, link));
    let block = vec![7u8; 256 * 1024];
    let mut sent = 0;
    while sent < total {
        conn.write_all(&block).expect("write");
        sent += block.len();
    }
    rx.recv().expect("the sink's figure")
}

/// (connect + first echo, median of later one-byte round trips).
fn ping_pong(link: Link, rounds: usize) -> (Duration, Duration) {
    let echo = raw_peer(|conn| {
        let mut rd = conn.try_clone().expect("clone");
        let mut wr = conn;
        let _ = std::io::copy(&mut rd, &mut wr);
    });
    let via = start(echo, link);
    let began = Instant::now();
    let mut conn = connect(via);
    let mut byte = [1u8];
    conn.write_all(&byte).expect("write");
    conn.read_exact(&mut byte).expect("read");
    let first = began.elapsed();
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let began = Instant::now();
        conn.write_all(&byte).expect("write");
        conn.read_exact(&mut byte).expect("read");
        times.push(began.elapsed());
    }
    times.sort();
    (first, times[times.len() / 2])
}

/// A sender that keeps at most `window` bytes unacknowledged (the receiver acks every 16 KiB):
/// bytes/second over `total` bytes, from the first byte sent.
fn windowed(link: Link, window: usize, total: usize) -> f64 {
    const ACK_EVERY: usize = 16 * 1024;
    let receiver = raw_peer(move |mut conn| {
        let mut buf = vec![0u8; 64 * 1024];
        let (mut got, mut acked) = (0usize, 0usize);
        while got < total {
            match conn.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => got += n,
            }
            if got - acked >= ACK_EVERY || got >= total {
                acked = got;
                conn.write_all(&(got as u64).to_be_bytes()).expect("ack");
            }
        }
    });
    let mut conn = connect(start(receiver, link));
    let began = Instant::now();
    let (mut sent, mut acked) = (0usize, 0usize);
    let block = vec![9u8; ACK_EVERY];
    let mut ack = [0u8; 8];
    while acked < total {
        while sent < total && sent - acked + block.len() <= window {
            conn.write_all(&block).expect("write");
            sent += block.len();
        }
        conn.read_exact(&mut ack).expect("read ack");
        acked = u64::from_be_bytes(ack) as usize;
    }
    total as f64 / began.elapsed().as_secs_f64()
}

fn flag(args: &[String], name: &str) -> Option<String> {
    let at = args.iter().position(|a| a == name)?;
    args.get(at + 1).cloned()
}

fn usage() -> ! {
    eprintln!("usage: link serve --target ADDR --delay-ms D --rate-mbit R [--listen ADDR]");
    eprintln!("       link check --delay-ms D --rate-mbit R [--bytes N]");
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |name: &str| -> f64 {
        flag(&args, name)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| usage())
    };
    let link = Link {
        delay: Duration::from_secs_f64(number("--delay-ms") / 1000.0),
        rate: number("--rate-mbit") * 1e6 / 8.0,
    };
    match args.first().map(String::as_str) {
        Some("serve") => {
            let target: SocketAddr = flag(&args, "--target")
                .and_then(|t| t.parse().ok())
                .unwrap_or_else(|| usage());
            let listen = flag(&args, "--listen").unwrap_or_else(|| "127.0.0.1:0".into());
            let listener = TcpListener::bind(&listen).expect("bind the emulator");
            println!("listening on {}", listener.local_addr().expect("address"));
            serve(listener, target, link);
        }
        Some("check") => {
            // Enough bytes for about two seconds at the rate (at least 8 MiB), or as asked.
            let total = flag(&args, "--bytes")
                .and_then(|v| v.parse().ok())
                .unwrap_or(((link.rate * 2.0) as usize).max(8 << 20));
            let throughput = bulk(link, total);
            let (connect_echo, rtt) = ping_pong(link, 10);
            let window = 256 * 1024;
            // The window-bound rate, over enough round trips to average out the start.
            let expected = (window as f64 / link.rtt().as_secs_f64()).min(link.rate);
            let win_total = ((expected * 1.5) as usize).max(window * 8);
            let windowed_rate = windowed(link, window, win_total);
            println!(
                "{{\"rateBytesPerSec\": {:.0}, \"throughputBytesPerSec\": {throughput:.0}, \
                 \"rttMs\": {:.3}, \"pingPongMs\": {:.3}, \"connectEchoMs\": {:.3}, \
                 \"window\": {window}, \"windowExpectedBytesPerSec\": {expected:.0}, \
                 \"windowBytesPerSec\": {windowed_rate:.0}}}",
                link.rate,
                link.rtt().as_secs_f64() * 1000.0,
                rtt.as_secs_f64() * 1000.0,
                connect_echo.as_secs_f64() * 1000.0,
            );
        }
        _ => usage(),
    }
}
