//! What tools such as grpcurl, grpcui and Postman ask of a server before any real call: gRPC
//! server reflection (v1 and v1alpha) and the standard health service. Both answer without a
//! token, as they do on real deployments.

use prost::Message as _;
use tokio_stream::StreamExt;
use tonic::transport::Channel;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::HealthCheckRequest;

use crate::support::{fast, start, LIMIT, SPEED};

const SERVICE: &str = "dodil.scriptum.v1.ScriptumService";

async fn channel(url: &str) -> Channel {
    tonic::transport::Endpoint::from_shared(url.to_string())
        .unwrap()
        .connect()
        .await
        .expect("connects")
}

/// The services a v1 reflection client lists, and the descriptors it gets for ours.
async fn reflect_v1(channel: Channel) -> (Vec<String>, Vec<prost_types::FileDescriptorProto>) {
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1::ServerReflectionRequest;

    let mut client = ServerReflectionClient::new(channel);
    let asks = [
        MessageRequest::ListServices(String::new()),
        MessageRequest::FileContainingSymbol(SERVICE.into()),
    ]
    .map(|message| ServerReflectionRequest {
        host: String::new(),
        message_request: Some(message),
    });
    let mut answers = client
        .server_reflection_info(tokio_stream::iter(asks))
        .await
        .expect("reflection opens")
        .into_inner();
    let (mut services, mut files) = (Vec::new(), Vec::new());
    for _ in 0..2 {
        let answer = tokio::time::timeout(LIMIT, answers.next())
            .await
            .expect("an answer in time")
            .expect("an answer")
            .expect("not an error");
        match answer.message_response.expect("a response") {
            MessageResponse::ListServicesResponse(list) => {
                services = list.service.into_iter().map(|s| s.name).collect();
            }
            MessageResponse::FileDescriptorResponse(found) => {
                files = found
                    .file_descriptor_proto
                    .iter()
                    .map(|bytes| {
                        prost_types::FileDescriptorProto::decode(bytes.as_slice()).unwrap()
                    })
                    .collect();
            }
            other => panic!("unexpected reflection answer: {other:?}"),
        }
    }
    (services, files)
}

#[tokio::test]
async fn reflection_v1_lists_and_describes_the_service() {
    let (server, _) = start(fast(SPEED)).await;
    let (services, files) = reflect_v1(channel(&server.url()).await).await;
    for name in [
        SERVICE,
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
    ] {
        assert!(services.iter().any(|s| s == name), "{name} in {services:?}");
    }
    let ours = files
        .iter()
        .find(|f| f.package() == "dodil.scriptum.v1")
        .expect("the contract's file");
    let methods: Vec<&str> = ours.service[0].method.iter().map(|m| m.name()).collect();
    assert_eq!(
        methods,
        [
            "CreateThread",
            "GetThread",
            "ListThreads",
            "CancelThread",
            "ResumeThread",
            "WatchThread",
            "WatchStep",
            "GetThreadResult",
            "StreamThreadResult",
            "StreamStepResult",
            "ListArtifacts",
        ]
    );
    server.shutdown().await;
}

#[tokio::test]
async fn reflection_v1alpha_answers_too() {
    use tonic_reflection::pb::v1alpha::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1alpha::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1alpha::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1alpha::ServerReflectionRequest;

    let (server, _) = start(fast(SPEED)).await;
    let mut client = ServerReflectionClient::new(channel(&server.url()).await);
    let ask = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut answers = client
        .server_reflection_info(tokio_stream::iter([ask]))
        .await
        .expect("reflection opens")
        .into_inner();
    let answer = tokio::time::timeout(LIMIT, answers.next())
        .await
        .expect("an answer in time")
        .expect("an answer")
        .expect("not an error");
    let Some(MessageResponse::ListServicesResponse(list)) = answer.message_response else {
        panic!("not a service list: {answer:?}");
    };
    assert!(list.service.iter().any(|s| s.name == SERVICE), "{list:?}");
    server.shutdown().await;
}

#[tokio::test]
async fn health_is_serving_then_not_serving_while_shutting_down() {
    let (server, _) = start(fast(SPEED)).await;
    let mut health = HealthClient::new(channel(&server.url()).await);
    for service in ["", SERVICE] {
        let status = health
            .check(HealthCheckRequest {
                service: service.into(),
            })
            .await
            .expect("health answers")
            .into_inner()
            .status();
        assert_eq!(status, ServingStatus::Serving, "{service:?}");
    }
    let mut watch = health
        .watch(HealthCheckRequest {
            service: SERVICE.into(),
        })
        .await
        .expect("health watch opens")
        .into_inner();
    let first = watch.next().await.expect("a status").expect("not an error");
    assert_eq!(first.status(), ServingStatus::Serving);

    let stopping = tokio::spawn(server.shutdown());
    let next = tokio::time::timeout(LIMIT, watch.next())
        .await
        .expect("a status change in time")
        .expect("a status")
        .expect("not an error");
    assert_eq!(next.status(), ServingStatus::NotServing);
    drop(watch);
    tokio::time::timeout(LIMIT, stopping)
        .await
        .expect("the server stops")
        .unwrap();
}
