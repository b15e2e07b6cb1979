//! One port for both transports: a request whose content type is `application/grpc*` goes to
//! the gRPC services, anything else to the gateway (by content type rather than path, so a gRPC
//! client never sees a JSON answer, nor a browser a gRPC one).

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::http::{header, Request};
use axum::response::Response;
use axum::routing::future::RouteFuture;
use axum::Router;
use tower_service::Service;

#[derive(Clone)]
pub struct ByContentType {
    pub grpc: Router,
    pub gateway: Router,
}

fn is_grpc<B>(request: &Request<B>) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/grpc"))
}

impl<B> Service<Request<B>> for ByContentType
where
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = RouteFuture<Infallible>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // Both routers are always ready.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        if is_grpc(&request) {
            self.grpc.call(request)
        } else {
            self.gateway.call(request)
        }
    }
}
