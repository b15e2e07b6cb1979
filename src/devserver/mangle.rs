//! The faults that break a message's bytes on the wire, which no honest encoder can produce:
//! `bad-utf8=METHOD` (a string field that is not UTF-8) and `undecodable=METHOD` (a message that
//! is not valid protobuf at all). A wrapper around the service rewrites the answer's body frames
//! of the RPCs named: what a client must then survive is a server that does not speak
//! `dodil.scriptum.v1`, or speaks it wrong.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use http_body::{Body, Frame, SizeHint};

use super::faults::Faults;

/// How a method's answers are broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Breakage {
    /// Every thread id (`thr_…`, in every message of the API) starts with a 0xFF byte.
    BadUtf8,
    /// The first message's first byte is a field key with wire type 7, which does not exist.
    Undecodable,
}

/// The service, with the answers of the faulty methods broken.
#[derive(Clone)]
pub struct Mangle<S> {
    inner: S,
    bad_utf8: Arc<[String]>,
    undecodable: Arc<[String]>,
}

impl<S> Mangle<S> {
    pub fn new(inner: S, faults: &Faults) -> Self {
        Mangle {
            inner,
            bad_utf8: faults.bad_utf8.clone().into(),
            undecodable: faults.undecodable.clone().into(),
        }
    }

    fn breakage(&self, method: &str) -> Option<Breakage> {
        let named = |list: &[String]| list.iter().any(|m| m == method || m == "*");
        if named(&self.undecodable) {
            Some(Breakage::Undecodable)
        } else if named(&self.bad_utf8) {
            Some(Breakage::BadUtf8)
        } else {
            None
        }
    }
}

impl<S: tonic::server::NamedService> tonic::server::NamedService for Mangle<S> {
    const NAME: &'static str = S::NAME;
}

type Response = http::Response<tonic::body::Body>;

impl<S, B> tower_service::Service<http::Request<B>> for Mangle<S>
where
    S: tower_service::Service<http::Request<B>, Response = Response, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let method = request.uri().path().rsplit('/').next().unwrap_or_default();
        let breakage = self.breakage(method);
        let answer = self.inner.call(request);
        Box::pin(async move {
            let response = answer.await?;
            Ok(match breakage {
                None => response,
                Some(breakage) => response.map(|body| {
                    tonic::body::Body::new(Mangled {
                        inner: body,
                        breakage,
                        first: true,
                    })
                }),
            })
        })
    }
}

/// An answer's body with its data frames broken.
struct Mangled {
    inner: tonic::body::Body,
    breakage: Breakage,
    first: bool,
}

impl Mangled {
    fn mangle(&mut self, data: Bytes) -> Bytes {
        let first = std::mem::replace(&mut self.first, false);
        match self.breakage {
            Breakage::Undecodable => {
                // A frame is a 5-byte header (compression flag, length), then the message; a
                // compressed one is left alone (its bytes would fail to decompress instead).
                if !first || data.len() <= 5 || data[0] != 0 {
                    return data;
                }
                let mut data = BytesMut::from(&data[..]);
                data[5] = 0x07;
                data.freeze()
            }
            Breakage::BadUtf8 => {
                let mut data = BytesMut::from(&data[..]);
                let mut at = 0;
                while let Some(found) = find(&data[at..], b"thr_") {
                    data[at + found] = 0xFF;
                    at += found + 4;
                }
                data.freeze()
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

impl Body for Mangled {
    type Data = Bytes;
    type Error = tonic::Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, tonic::Status>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                Ok(data) => Poll::Ready(Some(Ok(Frame::data(this.mangle(data))))),
                Err(frame) => Poll::Ready(Some(Ok(frame))),
            },
            other => other,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
